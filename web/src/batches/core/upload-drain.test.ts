// The drain's runs of chunks, against the scripted server: what goes up in one request, what is
// sent again when a run or one of its chunks fails, and that every chunk is acknowledged once.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { chunkCount } from '@boxoffice/tickets'
import { AckLedger } from './ack-ledger.ts'
import { RequestRejectedError } from './call-with-retry.ts'
import { PIPELINE_SETTINGS } from './pipeline-settings.ts'
import { DEFAULT_RETRY_POLICY } from './retry-policy.ts'
import { fakeChunk, fakeSigner, FakeServer, MemoryStagingStore, ScriptedConnectivity } from './testing/fakes.ts'
import { drainChunks, type ChunkSource } from './upload-drain.ts'
import type { StagedChunk } from '../ports.ts'

async function setup(quantity: number, settings: Partial<typeof PIPELINE_SETTINGS> = {}) {
  const batchId = crypto.randomUUID()
  const server = new FakeServer()
  await server.registerBatch({
    id: batchId,
    ticketTypeId: 'type-1',
    quantity,
    publicKey: 'k',
  })
  const store = new MemoryStagingStore()
  const signer = fakeSigner(batchId)
  const chunks: StagedChunk[] = []
  for (let index = 0; index < chunkCount(quantity); index++)
    chunks.push(await fakeChunk(signer, index, Math.min(50, quantity - index * 50)))
  await store.stageChunks(batchId, chunks, quantity)
  // Everything is staged already: the drain reads it back from the store.
  const source: ChunkSource = {
    stagedChunks: chunks.length,
    stopReason: undefined,
    waitForStaged: async () => true,
    takeHandoff: () => undefined,
  }
  const ledger = new AckLedger(quantity)
  const acks: number[] = []
  const connectivity = new ScriptedConnectivity()
  const drain = () =>
    drainChunks(
      {
        batchId,
        ledger,
        source,
        store,
        transport: server,
        retry: { policy: DEFAULT_RETRY_POLICY, connectivity, random: () => 0.5 },
        settings: { ...PIPELINE_SETTINGS, uploadsInFlight: 2, ...settings },
        onAck: (index) => acks.push(index),
      },
      new AbortController().signal,
    )
  return { batchId, server, store, ledger, acks, drain, connectivity }
}

describe('upload drain, runs of chunks', () => {
  test('a clean upload goes up in runs that grow to the most allowed; each chunk is acknowledged once and leaves staging', async () => {
    const { batchId, server, store, acks, drain } = await setup(200 * 50)
    await drain()
    assert.equal(server.batches.get(batchId)!.chunks.size, 200)
    assert.deepEqual(
      [...acks].sort((a, b) => a - b),
      Array.from({ length: 200 }, (_, index) => index),
    )
    const sizes = server.runCalls.map((run) => run.length)
    assert.ok(Math.max(...sizes) === 32, `runs ${sizes.join(',')}`)
    assert.equal(sizes[0], 8, 'the first run carries the initial window')
    assert.ok(server.runCalls.length + (200 - sizes.reduce((a, b) => a + b, 0)) < 20, 'far fewer requests than chunks')
    for (const run of server.runCalls)
      assert.deepEqual(
        run,
        Array.from({ length: run.length }, (_, i) => run[0]! + i),
        'a run is consecutive',
      )
    assert.deepEqual(store.stagedIndexes(batchId), [])
  })

  test('a run lost on the network is sent again, its chunks acknowledged once, and the next runs are shorter', async () => {
    const { batchId, server, acks, drain } = await setup(100 * 50, { uploadsInFlight: 1, initialRunChunks: 1 })
    // Single chunk, then runs of 2 and 4 succeed; the run of 8 is lost, then its answer too.
    server.chunkFaults = ['pass', 'pass', 'pass', 'drop-request', 'drop-response']
    await drain()
    assert.equal(server.batches.get(batchId)!.chunks.size, 100)
    assert.equal(new Set(acks).size, 100)
    assert.equal(acks.length, 100, 'each chunk acknowledged once, even the run whose answer was lost')
    const sizes = server.runCalls.map((run) => run.length)
    assert.deepEqual(sizes.slice(0, 5), [2, 4, 8, 4, 2], `runs ${sizes.join(',')}`)
  })

  test('a chunk refused for good within a run stops the drain with that chunk; its neighbours were acknowledged', async () => {
    const { server, acks, drain } = await setup(20 * 50, { uploadsInFlight: 1 })
    server.runChunkFaults.set(5, { status: 422, code: 'TOKEN_INVALID' })
    await assert.rejects(drain(), (error: unknown) => {
      assert.ok(error instanceof RequestRejectedError)
      assert.equal(error.chunkIndex, 5)
      assert.equal(error.failure.code, 'TOKEN_INVALID')
      return true
    })
    assert.ok(acks.includes(4) && acks.includes(6), `acks ${acks.join(',')}`)
    assert.ok(!acks.includes(5))
  })

  test('a chunk answered 503 within a run is sent again alone after its Retry-After; its neighbours are not resent', async () => {
    const { batchId, server, acks, drain, connectivity } = await setup(20 * 50, { uploadsInFlight: 1 })
    server.runChunkFaults.set(2, { status: 503, code: 'STORAGE_UNAVAILABLE', retryAfterSeconds: 3 })
    await drain()
    assert.equal(server.batches.get(batchId)!.chunks.size, 20)
    assert.equal(acks.filter((index) => index === 2).length, 1)
    assert.equal(server.putCalls.filter((index) => index === 1).length, 1, 'chunk 1, in the same run, went up once')
    assert.equal(server.putCalls.filter((index) => index === 2).length, 2)
    assert.ok(connectivity.sleeps.includes(3_000), `slept ${connectivity.sleeps.join(',')}`)
  })

  test('a chunk refused with 503 inside a run that a loss had shortened goes again alone; the rest of its claim goes as runs', async () => {
    const { batchId, server, acks, drain } = await setup(40 * 50, { uploadsInFlight: 1, initialRunChunks: 1 })
    // Runs of 1, 2, 4 and 8 go through; the next claim, 16 chunks (15–30), is lost whole, so it
    // goes again 8 at a time, and in the first 8 chunk 17 answers 503.
    server.chunkFaults = ['pass', 'pass', 'pass', 'pass', 'drop-request']
    server.runChunkFaults.set(17, { status: 503, code: 'STORAGE_UNAVAILABLE', retryAfterSeconds: 1 })
    await drain()
    assert.equal(server.batches.get(batchId)!.chunks.size, 40)
    assert.deepEqual(
      [...acks].sort((a, b) => a - b),
      Array.from({ length: 40 }, (_, index) => index),
    )
    for (const run of server.runCalls)
      assert.deepEqual(
        run,
        Array.from({ length: run.length }, (_, i) => run[0]! + i),
        `run ${run.join(',')} is consecutive`,
      )
    assert.deepEqual(server.putCalls.filter((index) => index === 17).length, 3, 'sent in the lost run, in the shortened one, then alone')
  })

  test('with runs of at most one chunk, every chunk goes up alone, as before runs', async () => {
    const { server, acks, drain } = await setup(30 * 50, { maxRunChunks: 1 })
    await drain()
    assert.deepEqual(server.runCalls, [])
    assert.equal(server.putCalls.length, 30)
    assert.equal(acks.length, 30)
  })
})
