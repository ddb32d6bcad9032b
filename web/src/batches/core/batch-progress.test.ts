import assert from 'node:assert/strict'
import { test } from 'node:test'
import { RequestRejectedError, type RetryNotice } from './call-with-retry.ts'
import { advanceProgress, describeFailure, type BatchProgress, type ProgressEvent, type ProgressState } from './batch-progress.ts'

const start: BatchProgress = {
  id: 'b',
  event: 'Gala',
  ticketType: 'VIP',
  quantity: 1_000,
  generated: 0,
  uploaded: 0,
  phase: 'generating',
  preview: [],
  generateRate: 0,
  uploadRate: 0,
}

/** Applies `events` in turn, one second apart from the run's start at 0; returns every step. */
function steps(events: ProgressEvent[], from: ProgressState = { progress: start }) {
  const results: { state: ProgressState; urgent: boolean }[] = []
  let state = from
  events.forEach((event, second) => {
    const result = advanceProgress(state, event, second * 1_000)
    results.push(result)
    state = result.state
  })
  return results
}
const last = (events: ProgressEvent[], from?: ProgressState) => steps(events, from).at(-1)!

const retrying: RetryNotice = {
  kind: 'retrying',
  operation: 'chunk 7',
  attempt: 2,
  delayMs: 4_000,
  failure: { kind: 'http', status: 503, code: 'STORAGE_UNAVAILABLE', message: 'busy' },
}

test('staging shows generating, then uploading once every ticket is staged; staged counts go as routine updates', () => {
  const [run, some, all] = steps([
    { kind: 'run-started', generated: 0 },
    { kind: 'staged', generated: 400, preview: [] },
    { kind: 'staged', generated: 1_000, preview: [] },
  ])
  assert.equal(run!.state.progress.phase, 'generating')
  assert.equal(run!.urgent, true)
  assert.deepEqual([some!.state.progress.phase, some!.urgent], ['generating', false])
  assert.deepEqual([all!.state.progress.phase, all!.state.progress.generated], ['uploading', 1_000])
})

test('a retry shows when it is due and why, and staging does not clear it; the next acknowledged chunk does, at once', () => {
  const waiting = last([
    { kind: 'run-started', generated: 0 },
    { kind: 'notice', notice: retrying, target: 'chunk 7', retryAt: 50_000 },
    { kind: 'staged', generated: 400, preview: [] },
  ])
  assert.equal(waiting.state.progress.phase, 'waiting-network')
  assert.deepEqual(waiting.state.progress.retry, { at: 50_000, attempt: 2, operation: 'chunk 7', reason: '503 STORAGE_UNAVAILABLE' })
  const acked = advanceProgress(waiting.state, { kind: 'chunk-acked', uploaded: 50 }, 3_000)
  assert.equal(acked.state.progress.phase, 'generating')
  assert.equal(acked.state.progress.retry, undefined)
  assert.equal(acked.urgent, true)
  const again = advanceProgress(acked.state, { kind: 'chunk-acked', uploaded: 100 }, 4_000)
  assert.equal(again.urgent, false, 'a routine acknowledgement is not urgent')
})

test('offline and signed out hold the upload back; recovered goes back to the working phase', () => {
  const offline = last([
    { kind: 'run-started', generated: 1_000 },
    { kind: 'notice', notice: { kind: 'offline', operation: 'chunk 3' }, target: 'chunk 3', retryAt: 0 },
  ])
  assert.equal(offline.state.progress.phase, 'offline')
  const signedOut = advanceProgress(
    offline.state,
    {
      kind: 'notice',
      notice: { kind: 'signed-out', operation: 'chunk 3', failure: { kind: 'http', status: 401, code: 'SESSION_EXPIRED', message: 'x' } },
      target: 'chunk 3',
      retryAt: 0,
    },
    2_000,
  )
  assert.equal(signedOut.state.progress.phase, 'signed-out')
  const recovered = advanceProgress(
    signedOut.state,
    { kind: 'notice', notice: { kind: 'recovered', operation: 'chunk 3' }, target: 'chunk 3', retryAt: 0 },
    3_000,
  )
  assert.equal(recovered.state.progress.phase, 'uploading')
})

test('the last acknowledgement moves to completing; storage full moves generating to uploading and keeps it there', () => {
  const completing = last([
    { kind: 'run-started', generated: 1_000 },
    { kind: 'chunk-acked', uploaded: 1_000 },
  ])
  assert.equal(completing.state.progress.phase, 'completing')
  const stopped = last([
    { kind: 'run-started', generated: 0 },
    { kind: 'generation-stopped', message: 'This browser ran out of storage space while staging tickets.' },
    { kind: 'chunk-acked', uploaded: 50 },
  ])
  assert.equal(stopped.state.progress.phase, 'uploading')
  assert.match(stopped.state.progress.generationError!, /ran out of storage/)
})

test('rates are tickets per second since this run started; the upload rate counts from what the server held then', () => {
  const [, , staged] = steps([
    { kind: 'run-started', generated: 200 },
    { kind: 'server-holds', uploaded: 100 },
    { kind: 'staged', generated: 600, preview: [] },
  ])
  assert.equal(staged!.state.progress.generateRate, 200, '400 tickets in 2 s')
  const acked = advanceProgress(staged!.state, { kind: 'chunk-acked', uploaded: 400 }, 3_000)
  assert.equal(acked.state.progress.uploadRate, 100, '300 tickets in 3 s')
})

test('a paused or finished batch keeps its phase whatever late progress arrives', () => {
  for (const phase of ['paused', 'failed', 'completed', 'cancelled'] as const) {
    const held = last([
      { kind: 'run-started', generated: 0 },
      { kind: 'set', change: { phase } },
      { kind: 'staged', generated: 400, preview: [] },
      { kind: 'chunk-acked', uploaded: 50 },
    ])
    assert.equal(held.state.progress.phase, phase)
  }
})

test('a refused chunk is described with its tickets, from the index the rejection carries', () => {
  const error = new RequestRejectedError('chunk 3', { kind: 'http', status: 422, code: 'TOKEN_INVALID', message: 'bad signature' }, 3)
  assert.deepEqual(describeFailure(error, 1_000), {
    message: 'Server rejected chunk 3 (tickets 150–199): bad signature',
    code: 'TOKEN_INVALID',
    chunkIndex: 3,
    serialRange: [150, 199],
  })
  const other = new RequestRejectedError('register batch', {
    kind: 'http',
    status: 409,
    code: 'BATCH_CONFLICT',
    message: 'a different batch',
  })
  assert.equal(describeFailure(other, 1_000).message, 'Server refused to register batch: a different batch')
})
