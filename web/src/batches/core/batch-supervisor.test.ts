import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { StoredBatch } from '../ports.ts'
import { BatchSupervisor } from './batch-supervisor.ts'
import { creationBody } from './local-batch.ts'
import type { BatchProgress } from './batch-progress.ts'
import { PIPELINE_SETTINGS } from './pipeline-settings.ts'
import {
  deferred,
  fakeChunk,
  fakeKeys,
  fakeSigner,
  FakeLocks,
  FakeServer,
  MemoryBatchStore,
  RecordingProgress,
  recordingLog,
  ScriptedConnectivity,
} from './testing/fakes.ts'

/** A broken flow fails the test instead of hanging the run; nothing here waits on the clock. */
const GUARD = { timeout: 10_000 }

const request = {
  eventId: 'event-1',
  ticketTypeId: 'type-1',
  event: 'Gala',
  ticketType: 'General',
  price: { amountMinor: 2500, currency: 'EUR' },
  quantity: 500,
}

function setup() {
  const server = new FakeServer()
  const store = new MemoryBatchStore()
  const locks = new FakeLocks()
  const progress = new RecordingProgress()
  const log = recordingLog()
  const connectivity = new ScriptedConnectivity()
  const supervisor = new BatchSupervisor({
    store,
    transport: server,
    connectivity,
    session: { waitForSignIn: () => new Promise(() => {}) },
    locks,
    keys: fakeKeys(),
    progress,
    log,
    settings: { ...PIPELINE_SETTINGS, uploadsInFlight: 2, chunksPerTransaction: 2, handoffLimit: 4, readAhead: 4, deleteBatch: 4 },
  })
  const phaseOf = (batchId: string, phase: BatchProgress['phase']) => progress.until((p) => p.id === batchId && p.phase === phase)
  return { server, store, locks, progress, log, supervisor, phaseOf }
}

/** A batch this browser already holds, as a reload finds it. */
function storedBatch(overrides: Partial<StoredBatch> = {}): StoredBatch {
  return {
    ...request,
    id: '3f1c2a4e-8b7d-4c6a-9e21-5d0f7a9b1c23',
    publicKey: 'A'.repeat(43),
    privateKey: {} as CryptoKey,
    createdAt: new Date(0).toISOString(),
    generatedCount: 0,
    registered: false,
    paused: false,
    ...overrides,
  }
}

function assertExact(server: FakeServer, batchId: string, quantity: number) {
  const expected = Array.from({ length: quantity }, (_, serial) => `${batchId.slice(0, 8).toUpperCase()}${serial}`)
  assert.deepEqual(server.tokens(batchId), expected)
  assert.equal(server.batches.get(batchId)!.state, 'completed')
}

test('a new batch runs under its lock to completion; then its staged tickets and key are gone from this browser', GUARD, async () => {
  const { server, store, locks, progress, log, supervisor, phaseOf } = setup()
  const id = await supervisor.createBatch(request)
  assert.ok(locks.isHeld(`boxoffice-batch-${id}`), 'running under the batch lock')
  const done = await phaseOf(id, 'completed')
  assert.equal(done.uploaded, 500)
  assertExact(server, id, 500)
  assert.equal(await store.getBatch(id), undefined)
  assert.deepEqual(store.stagedIndexes(id), [])
  assert.deepEqual(progress.phases(id), ['generating', 'uploading', 'completing', 'completed'])
  assert.ok(log.lines.includes(`batch ${id}: completed with 500 tickets`))
})

test('pause stops the run and records it, keeping every chunk the server lacks; resume finishes exactly', GUARD, async () => {
  const { server, store, supervisor, phaseOf } = setup()
  const pausing = deferred<Promise<void>>()
  let id = ''
  server.beforePut = async (index) => {
    if (index === 4) pausing.resolve(supervisor.pause(id))
  }
  id = await supervisor.createBatch(request)
  await await pausing.promise
  await phaseOf(id, 'paused')
  assert.equal((await store.getBatch(id))!.paused, true)
  assert.notEqual(server.batches.get(id)!.state, 'completed')
  const generated = (await store.getBatch(id))!.generatedCount
  for (let index = 0; index < generated / 50; index++) {
    assert.ok(
      store.stagedIndexes(id).includes(index) || server.batches.get(id)!.chunks.has(index),
      `chunk ${index} neither staged nor on the server`,
    )
  }
  server.beforePut = undefined
  await supervisor.resume(id)
  assert.equal((await store.getBatch(id))?.paused, false)
  await phaseOf(id, 'completed')
  assertExact(server, id, 500)
})

test('cancel stops the batch, cancels it on the server, deletes it here and says how many tickets the server held', GUARD, async () => {
  const { server, store, supervisor, phaseOf } = setup()
  const cancelling = deferred<Promise<{ onServer: number | null }>>()
  let id = ''
  server.beforePut = async (index) => {
    if (index === 3) cancelling.resolve(supervisor.cancel(id))
  }
  id = await supervisor.createBatch(request)
  const { onServer } = await await cancelling.promise
  assert.equal(onServer, server.ticketCount(id))
  assert.equal(server.batches.get(id)!.state, 'cancelled')
  assert.equal(await store.getBatch(id), undefined)
  assert.deepEqual(store.stagedIndexes(id), [])
  await phaseOf(id, 'cancelled')
})

test(
  'while another tab holds the batch, it shows as uploading elsewhere and sends nothing; when that tab lets go, this one takes over',
  GUARD,
  async () => {
    const { server, store, locks, supervisor, phaseOf } = setup()
    const batch = storedBatch()
    await store.createBatch(batch)
    const letGo = locks.heldElsewhere(`boxoffice-batch-${batch.id}`)
    const [unfinished] = await supervisor.resumeUnfinished()
    assert.equal(unfinished!.id, batch.id)
    await phaseOf(batch.id, 'elsewhere')
    assert.deepEqual(server.putCalls, [])
    assert.equal(server.batches.size, 0)
    await letGo()
    await phaseOf(batch.id, 'completed')
    assertExact(server, batch.id, 500)
  },
)

test('pausing a batch that waits for another tab stops the wait: it does not run when that tab lets go', GUARD, async () => {
  const { server, store, locks, progress, supervisor, phaseOf } = setup()
  const batch = storedBatch()
  await store.createBatch(batch)
  const letGo = locks.heldElsewhere(`boxoffice-batch-${batch.id}`)
  await supervisor.resumeUnfinished()
  await phaseOf(batch.id, 'elsewhere')
  assert.equal(locks.waiting(`boxoffice-batch-${batch.id}`), 1)
  await supervisor.pause(batch.id)
  await phaseOf(batch.id, 'paused')
  assert.equal(locks.waiting(`boxoffice-batch-${batch.id}`), 0, 'the pause left the lock queue')
  await letGo()
  assert.equal(locks.isHeld(`boxoffice-batch-${batch.id}`), false)
  assert.deepEqual(server.putCalls, [])
  assert.deepEqual(progress.phases(batch.id), ['generating', 'elsewhere', 'paused'])
})

test(
  'a chunk the server refuses fails the batch, naming the chunk; the failure is kept, so the next start waits for the user',
  GUARD,
  async () => {
    const { server, store, progress, supervisor, phaseOf } = setup()
    server.chunkFaults = [{ status: 422, code: 'TOKEN_INVALID' }]
    const id = await supervisor.createBatch(request)
    const failed = await phaseOf(id, 'failed')
    assert.equal(failed.failure?.chunkIndex, 0)
    assert.match(failed.failure!.message, /^Server rejected chunk 0 \(tickets 0–49\)/)
    assert.equal((await store.getBatch(id))!.failure?.code, 'TOKEN_INVALID')

    // A reload: a new supervisor over the same store and server.
    const puts = server.putCalls.length
    const again = new BatchSupervisor({ ...setupOptions(), store, transport: server, progress })
    const [found] = await again.resumeUnfinished()
    assert.equal(found!.phase, 'failed')
    assert.equal(server.putCalls.length, puts)
  },
)

test('a paused batch found at start is not run, but shows how many of its tickets the server holds', GUARD, async () => {
  const { server, store, progress, supervisor } = setup()
  const batch = storedBatch({ paused: true, registered: true, generatedCount: 200 })
  await store.createBatch(batch)
  await server.registerBatch(creationBody(batch))
  for (const index of [0, 1]) await server.putChunk(batch.id, await fakeChunk(fakeSigner(batch.id), index))
  server.putCalls = []
  const [found] = await supervisor.resumeUnfinished()
  assert.equal(found!.phase, 'paused')
  const counted = await progress.until((p) => p.id === batch.id && p.uploaded === 100)
  assert.equal(counted.phase, 'paused')
  assert.deepEqual(server.putCalls, [])
})

/** Options for a second supervisor in a test (a reload), with fresh edges. */
function setupOptions() {
  return {
    connectivity: new ScriptedConnectivity(),
    session: { waitForSignIn: () => new Promise<void>(() => {}) },
    locks: new FakeLocks(),
    keys: fakeKeys(),
    log: recordingLog(),
  }
}
