import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { CheckinBody, CheckinKit, CheckinResult, CheckinSyncBody, CheckinSyncResult } from '@boxoffice/tickets'
import { ApiError } from '../../shared/core/request-failure.ts'
import type { CheckinServer, CheckinStore, LocalCheckin, StoredKitBatch } from '../ports.ts'
import { signedBatch, type SignedBatch } from '../core/testing/signed-batch.ts'
import { CheckinState, type CheckinStateDeps } from './checkin-state.svelte.ts'

const NOW = new Date('2026-11-29T20:00:00.000Z')

class MemoryStore implements CheckinStore {
  records = new Map<string, LocalCheckin>()
  kit: StoredKitBatch[] = []
  /** Held until the test opens it, when set: the device's storage opening slowly. */
  opening: Promise<void> = Promise.resolve()
  async deviceId() {
    await this.opening
    return 'gate-3'
  }
  async kitBatches() {
    return this.kit
  }
  async replaceKit(batches: readonly StoredKitBatch[]) {
    this.kit = [...batches]
  }
  async findCheckin(batchId: string, serial: number) {
    return this.records.get(`${batchId}/${serial}`)
  }
  async recordCheckin(checkin: LocalCheckin) {
    this.records.set(`${checkin.batchId}/${checkin.serial}`, checkin)
  }
  async pendingCheckins() {
    return [...this.records.values()].filter((record) => record.sync === 'pending')
  }
  async countPending() {
    return (await this.pendingCheckins()).length
  }
  async saveSyncOutcomes(records: readonly LocalCheckin[]) {
    for (const record of records) await this.recordCheckin(record)
  }
}

/** A server that accepts every synced check-in and serves the kit of `batch`; `checkIn` answers as scripted. */
class ScriptedServer implements CheckinServer {
  syncs: CheckinSyncBody[] = []
  checkInAnswer: (body: CheckinBody) => CheckinResult | Error = () => new Error('not expected')
  constructor(private readonly batch: SignedBatch) {}
  async checkIn(body: CheckinBody) {
    const answer = this.checkInAnswer(body)
    if (answer instanceof Error) throw answer
    return answer
  }
  async sync(body: CheckinSyncBody): Promise<CheckinSyncResult> {
    this.syncs.push(body)
    return {
      serverTime: NOW.toISOString(),
      results: body.checkins.map((item) => ({
        result: 'accepted',
        checkedInAt: item.checkedInAt,
        ticket: { batchId: this.batch.kitBatch.id, serial: 0, ticketType: 'General' },
      })),
    }
  }
  async kit(): Promise<CheckinKit> {
    return {
      serverTime: NOW.toISOString(),
      event: { id: this.batch.kitBatch.eventId, name: 'Spring Gala' },
      batches: [this.batch.kitBatch],
      revokedBatches: [],
      otherBatches: [{ id: 'b0000000-0000-4000-8000-000000000001', event: 'Last week' }],
    }
  }
  async events() {
    return []
  }
}

/** Network events and timers the test can see: what is set up, and whether it was let go. */
function watchedEdges() {
  const listeners = new Set<() => void>()
  const timers = new Set<{ ms: number; task: () => void }>()
  return {
    listeners,
    timers,
    watchConnectivity(listener: () => void) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    repeat(ms: number, task: () => void) {
      const timer = { ms, task }
      timers.add(timer)
      return () => timers.delete(timer)
    },
  }
}

async function setup(options: { online: boolean }) {
  const batch = await signedBatch()
  const store = new MemoryStore()
  store.kit = [{ ...batch.kitBatch, fetchedAt: NOW.toISOString() }]
  const server = new ScriptedServer(batch)
  const edges = watchedEdges()
  const network = { online: options.online }
  const sessionsEnded: string[] = []
  const deps: CheckinStateDeps = {
    store,
    server,
    isOnline: () => network.online,
    watchConnectivity: edges.watchConnectivity,
    repeat: edges.repeat,
    now: () => NOW,
    onSessionEnded: () => void sessionsEnded.push('ended'),
    keepAppForOffline: async () => true,
    appKeptForOffline: async () => false,
    cameraScanSupported: async () => false,
    admitted: { load: () => ({ eventId: batch.kitBatch.eventId, otherBatches: [] }), save: () => {} },
  }
  const state = new CheckinState(deps)
  /** The browser goes online or offline, and says so. */
  const setOnline = (online: boolean) => {
    network.online = online
    for (const listener of [...edges.listeners]) listener()
  }
  return { batch, store, server, edges, state, setOnline, sessionsEnded }
}

test('started, it watches the network and retries the sync on a timer; disposed, it lets go of both', async () => {
  const { state, edges } = await setup({ online: false })
  await state.start()
  assert.equal(edges.listeners.size, 1)
  assert.deepEqual(
    [...edges.timers].map((timer) => timer.ms),
    [15_000],
  )
  state.dispose()
  assert.equal(edges.listeners.size, 0, 'online/offline listeners released')
  assert.equal(edges.timers.size, 0, 'sync timer cleared')
})

test('disposed while it is still starting, it keeps no listener and sets up no timer', async () => {
  const { state, store, edges } = await setup({ online: false })
  let open!: () => void
  store.opening = new Promise((resolve) => (open = resolve))
  const starting = state.start()
  state.dispose()
  open()
  await starting
  assert.equal(edges.listeners.size, 0)
  assert.equal(edges.timers.size, 0)
})

test('a ticket admitted offline waits to sync; when the network comes back it is synced and no longer pending', async () => {
  const { batch, state, server, setOnline } = await setup({ online: false })
  await state.start()
  await state.scan.checkIn(await batch.token(4))
  assert.equal(state.scan.verdict?.result, 'valid')
  assert.equal(state.scan.verdict?.decidedBy, 'device')
  assert.equal(state.online, false)
  assert.equal(state.sync.pendingCount, 1)
  setOnline(true)
  await state.sync.syncNow()
  assert.equal(server.syncs.length, 1)
  assert.equal(state.sync.pendingCount, 0)
  assert.equal(state.sync.lastSync?.summary.accepted, 1)
  assert.equal(state.online, true)
})

test('an empty scan asks for a token; a 401 asks staff to sign in again and admits nobody', async () => {
  const { batch, state, server, sessionsEnded } = await setup({ online: true })
  await state.scan.checkIn('  ')
  assert.equal(state.scan.error, 'Enter or scan a ticket token.')
  server.checkInAnswer = () => new ApiError(401, 'SESSION_EXPIRED', 'the session has expired')
  await state.scan.checkIn(await batch.token(1))
  assert.equal(state.scan.verdict, null)
  assert.equal(state.scan.error, 'Your session ended. Sign in again to check tickets in.')
  assert.ok(sessionsEnded.length >= 1)
  state.dispose()
})

test("no event chosen is refused before anything is fetched; the chosen event's kit is prepared and kept, other events named", async () => {
  const { batch, state, store } = await setup({ online: true })
  store.kit = []
  state.kit.eventId = ''
  await state.kit.prepare()
  assert.equal(state.kit.prepareError, 'Choose the event this gate admits.')
  state.kit.choose(batch.kitBatch.eventId)
  await state.kit.prepare()
  assert.equal(state.kit.prepareError, null)
  assert.equal(state.kit.otherEvents.get('b0000000-0000-4000-8000-000000000001'), 'Last week')
  assert.deepEqual(
    store.kit.map((kit) => kit.id),
    [batch.kitBatch.id],
  )
  assert.equal(state.kit.opensOffline, true)
  state.dispose()
})
