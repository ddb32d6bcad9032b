import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { BatchSummary } from '@boxoffice/tickets'
import { ApiError } from '../../shared/core/request-failure.ts'
import type { BatchProgress } from '../core/batch-progress.ts'
import { deferred } from '../core/testing/fakes.ts'
import { BoxOfficeState, type BoxOfficeDeps, type TicketWorker, type TicketWorkerReports } from './box-office.svelte.ts'

const unfinished: BatchProgress = {
  id: 'b1',
  event: 'Gala',
  ticketType: 'VIP',
  quantity: 100,
  generated: 50,
  uploaded: 0,
  phase: 'generating',
  preview: [],
  generateRate: 0,
  uploadRate: 0,
}

/** A worker that answers every call; `reports` is what it was given to talk back with. */
function fakeWorker(overrides: Partial<TicketWorker> = {}): TicketWorker & { calls: string[] } {
  const calls: string[] = []
  return {
    calls,
    unfinished: [unfinished],
    createBatch: async () => (calls.push('createBatch'), 'b2'),
    pause: async (id) => void calls.push(`pause ${id}`),
    resume: async (id) => void calls.push(`resume ${id}`),
    cancel: async (id) => (calls.push(`cancel ${id}`), { onServer: 40 }),
    signedIn: async () => void calls.push('signedIn'),
    ...overrides,
  }
}

function setup(startWorker: BoxOfficeDeps['startWorker'], shown: { id: string | null } = { id: null }) {
  const ended: string[] = []
  let listed: BatchSummary[] | Error = []
  const state = new BoxOfficeState({
    startWorker,
    listServerBatches: async () => {
      if (listed instanceof Error) throw listed
      return listed
    },
    listPdfParts: async () => Promise.reject(new Error('not used')),
    estimateStorage: async () => ({ quota: 10e9, usage: 0 }),
    askToKeepStorage: () => {},
    saveDownload: () => {},
    onSessionEnded: () => void ended.push('ended'),
    shownBatch: { read: () => shown.id, write: (id) => void (shown.id = id) },
  })
  return { state, ended, shown, list: (value: BatchSummary[] | Error) => (listed = value) }
}

test('starting shows the unfinished batches the worker resumed, and selects the first', async () => {
  const { state } = setup(async () => fakeWorker())
  await state.start()
  assert.equal(state.local.b1?.phase, 'generating')
  assert.equal(state.selectedId, 'b1')
  assert.equal(state.workerProblem, null)
})

const finishedOnServer = {
  id: 'b7',
  event: 'Gala',
  ticketType: 'VIP',
  quantity: 2_000,
  ticketsReceived: 2_000,
  state: 'completed',
  createdAt: '2026-12-02T10:00:00.000Z',
  finishedAt: '2026-12-02T10:00:40.000Z',
} as BatchSummary

test('a batch that finished while the tab reloaded is shown from the server, with how long it took', async () => {
  const { state, list } = setup(async () => fakeWorker({ unfinished: [] }), { id: 'b7' })
  list([finishedOnServer])
  await state.start()
  assert.equal(state.selectedId, 'b7')
  assert.equal(state.selected?.phase, 'completed')
  assert.equal(state.selected?.uploaded, 2_000)
  assert.equal(state.selected?.tookMs, 40_000)
})

test('after a reload the batch shown before is shown again; an unfinished one still comes first', async () => {
  const second: BatchProgress = { ...unfinished, id: 'b3' }
  const { state, list } = setup(async () => fakeWorker({ unfinished: [unfinished, second] }), { id: 'b3' })
  list([finishedOnServer])
  await state.start()
  assert.equal(state.selectedId, 'b3')

  const other = setup(async () => fakeWorker(), { id: 'b7' })
  other.list([finishedOnServer])
  await other.state.start()
  assert.equal(other.state.selectedId, 'b1', 'a batch still running here comes before one finished')
})

test('choosing or creating a batch remembers it for a reload; an open batch on the server is not shown from the list', async () => {
  const { state, shown, list } = setup(async () => fakeWorker({ unfinished: [] }), { id: 'b7' })
  list([{ ...finishedOnServer, state: 'open', finishedAt: null }])
  await state.start()
  assert.equal(state.selectedId, null, 'an open batch this browser does not stage runs elsewhere')
  await state.generate({ event: 'Gala', ticketType: 'VIP', price: { amountMinor: 0, currency: 'EUR' }, quantity: 10 })
  assert.equal(shown.id, 'b2')
})

test('what is left of a type is read again when a batch here reserves tickets, is refused or gives them back', async () => {
  let reports: TicketWorkerReports | undefined
  const { state } = setup(async (given) => ((reports = given), fakeWorker({ unfinished: [] })))
  await state.start()
  const before = state.capacityRevision
  reports!.onProgress({ ...unfinished, id: 'b5', registered: false })
  reports!.onProgress({ ...unfinished, id: 'b5', generated: 60 })
  assert.equal(state.capacityRevision, before, 'nothing reserved yet')
  reports!.onProgress({ ...unfinished, id: 'b5', generated: 70, registered: true })
  assert.equal(state.capacityRevision, before + 1)
  reports!.onProgress({ ...unfinished, id: 'b5', generated: 80, registered: true })
  assert.equal(state.capacityRevision, before + 1, 'once per reservation')
  reports!.onProgress({ ...unfinished, id: 'b6', phase: 'generating' })
  reports!.onProgress({ ...unfinished, id: 'b6', phase: 'failed', failure: { message: 'no room', code: 'CAPACITY_EXCEEDED' } })
  assert.equal(state.capacityRevision, before + 2)
  reports!.onProgress({ ...unfinished, id: 'b5', phase: 'cancelled', registered: true })
  assert.equal(state.capacityRevision, before + 3)
})

test('a worker that cannot start is said on the page, and the server list still loads', async () => {
  const { state, list } = setup(async () => Promise.reject(new Error('the ticket worker stopped: its script could not be loaded')))
  list([{ id: 'b9' } as BatchSummary])
  await state.start()
  assert.match(state.workerProblem!, /could not start: the ticket worker stopped: its script could not be loaded/)
  assert.deepEqual(
    state.serverBatches.map((batch) => batch.id),
    ['b9'],
  )
  await assert.rejects(
    state.generate({ event: 'Gala', ticketType: 'VIP', price: { amountMinor: 0, currency: 'EUR' }, quantity: 10 }),
    /could not be loaded/,
  )
})

test('a worker that dies later is said on the page; calls reject, and a sign-in still goes through', async () => {
  let reports: TicketWorkerReports | undefined
  const dead = new Error('the ticket worker stopped: out of memory')
  const worker = fakeWorker({ pause: async () => Promise.reject(dead), signedIn: async () => Promise.reject(dead) })
  const { state } = setup(async (given) => ((reports = given), worker))
  await state.start()
  reports!.onStopped(dead.message)
  assert.match(
    state.workerProblem!,
    /^Boxoffice stopped working in this tab \(the ticket worker stopped: out of memory\)\. .*reload the page/,
  )
  await assert.rejects(state.pause('b1'), dead)
  await state.signedIn()
})

test('calls made while the worker starts wait for it, and it starts once', async () => {
  const started = deferred<TicketWorker>()
  let starts = 0
  const worker = fakeWorker()
  const { state } = setup(() => (starts++, started.promise))
  const starting = state.start()
  const creating = state.generate({ event: 'Gala', ticketType: 'VIP', price: { amountMinor: 0, currency: 'EUR' }, quantity: 10 })
  started.resolve(worker)
  await starting
  assert.equal(await creating, 'b2')
  assert.equal(state.selectedId, 'b2')
  assert.equal(starts, 1)
  assert.deepEqual(worker.calls, ['createBatch'])
})

test('progress and storage notices from the worker reach the page; a 401 on the server list ends the session', async () => {
  let reports: TicketWorkerReports | undefined
  const { state, ended, list } = setup(async (given) => ((reports = given), fakeWorker()))
  await state.start()
  reports!.onProgress({ ...unfinished, phase: 'signed-out' })
  assert.equal(state.uploadsNeedSignIn, true)
  reports!.onStorageNotice('Boxoffice was updated in another tab. Reload this page to go on; nothing kept in this browser is lost.')
  assert.match(state.storageNotice!, /Reload this page/)
  list(new ApiError(401, 'SESSION_EXPIRED', 'expired'))
  await state.refreshServerBatches()
  assert.deepEqual(ended, ['ended'])
})

test('cancelling says how many tickets the server already held', async () => {
  const { state } = setup(async () => fakeWorker())
  await state.start()
  await state.cancel('b1')
  assert.equal(state.notice, 'Batch cancelled. 40 tickets were already on the server.')
})
