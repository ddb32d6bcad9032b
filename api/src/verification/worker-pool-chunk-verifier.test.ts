import assert from 'node:assert/strict'
import { describe, test, type TestContext } from 'node:test'
import { makeTestBatch } from '../../test/helper.ts'
import { chunkWithEveryKindOfBadTicket, expectedReasons, keyOf } from './bad-tickets.test-support.ts'
import { createInProcessChunkVerifier } from './in-process-chunk-verifier.ts'
import { createWorkerPoolChunkVerifier, type WorkerPoolOptions } from './worker-pool-chunk-verifier.ts'

const CRASHING_WORKER = new URL('./verify-worker.crash-fixture.mjs', import.meta.url)

async function startPool(t: TestContext, options: WorkerPoolOptions = {}) {
  const pool = await createWorkerPoolChunkVerifier({ threads: 2, ...options })
  t.after(() => pool.close())
  return pool
}

describe('worker pool chunk verifier', () => {
  for (const library of ['libsodium', 'openssl'] as const) {
    test(`with ${library} asked for, every worker checks with it and finds every kind of bad ticket`, async (t) => {
      const pool = await startPool(t, { library })
      assert.equal(pool.library, library)
      const batch = await makeTestBatch({ quantity: 50 })
      const problems = await pool.verifyChunk(keyOf(batch), await chunkWithEveryKindOfBadTicket(batch))
      assert.deepEqual(
        problems.map(({ serial, reason }) => [serial, reason]),
        expectedReasons,
      )
      assert.deepEqual(await pool.verifyChunk(keyOf(batch), (await batch.chunk(0)).tickets), [])
    })
  }

  test('gives the same answer as the in-process verifier for good chunks and for every kind of bad ticket', async (t) => {
    const pool = await startPool(t)
    const inProcess = createInProcessChunkVerifier()
    const batch = await makeTestBatch({ quantity: 120 })
    const chunks = [(await batch.chunk(0)).tickets, (await batch.chunk(2)).tickets, await chunkWithEveryKindOfBadTicket(batch)]
    for (const tickets of chunks) {
      assert.deepEqual(await pool.verifyChunk(keyOf(batch), tickets), await inProcess.verifyChunk(keyOf(batch), tickets))
    }
    const problems = await pool.verifyChunk(keyOf(batch), chunks[2]!)
    assert.deepEqual(
      problems.map(({ serial, reason }) => [serial, reason]),
      expectedReasons,
    )
  })

  test('many chunks of several batches in flight at once each get their own answer', async (t) => {
    const pool = await startPool(t)
    const batches = [await makeTestBatch({ quantity: 200 }), await makeTestBatch({ quantity: 200 })]
    const bad = await chunkWithEveryKindOfBadTicket(batches[1]!)
    const jobs = batches.flatMap((batch) =>
      [0, 1, 2, 3].map(async (index) => pool.verifyChunk(keyOf(batch), (await batch.chunk(index)).tickets)),
    )
    const badJob = pool.verifyChunk(keyOf(batches[1]!), bad)
    // The first batch's chunks checked against the second batch's key: all wrong batch.
    const crossed = pool.verifyChunk(keyOf(batches[1]!), (await batches[0]!.chunk(0)).tickets)
    assert.deepEqual(await Promise.all(jobs), Array(8).fill([]))
    assert.deepEqual(
      (await badJob).map(({ reason }) => reason),
      expectedReasons.map(([, reason]) => reason),
    )
    assert.deepEqual(new Set((await crossed).map(({ reason }) => reason)), new Set(['WRONG_BATCH']))
  })

  test('a chunk whose worker crashes fails with a 503 error, and a replacement worker serves the queued ones', async (t) => {
    const exits: Error[] = []
    const pool = await startPool(t, {
      threads: 1,
      chunksPerWorker: 1,
      workerUrl: CRASHING_WORKER,
      onWorkerExit: (error) => exits.push(error),
    })
    const batch = await makeTestBatch()
    const doomed = await makeTestBatch({ ticketType: 'crash the worker' })
    const crashing = pool.verifyChunk(keyOf(doomed), (await doomed.chunk(0)).tickets)
    // Still queued in the pool when the only worker crashes: the replacement must serve it.
    const queued = pool.verifyChunk(keyOf(batch), (await batch.chunk(0)).tickets)
    await assert.rejects(crashing, (error: Error & { statusCode?: number; code?: string }) => {
      assert.equal(error.statusCode, 503)
      assert.equal(error.code, 'VERIFICATION_UNAVAILABLE')
      return true
    })
    assert.equal(exits.length, 1)
    assert.match(exits[0]!.message, /simulated verification worker crash/)
    assert.deepEqual(await queued, [])
    assert.equal(pool.runningWorkers, 1)
    assert.deepEqual(await pool.verifyChunk(keyOf(batch), (await batch.chunk(1)).tickets), [])
  })

  test('while no replacement worker can start, waiting chunks fail instead of hanging; a later one serves again', async (t) => {
    const exits: Error[] = []
    const pool = await startPool(t, {
      threads: 1,
      chunksPerWorker: 1,
      restartDelayMs: 300, // the environment is restored well within this, before the next try
      workerUrl: CRASHING_WORKER,
      onWorkerExit: (error) => exits.push(error),
    })
    const batch = await makeTestBatch()
    const doomed = await makeTestBatch({ ticketType: 'crash the worker' })
    // Workers copy the environment when they start: from now on, replacements die while starting.
    process.env.VERIFY_WORKER_FAIL_START = '1'
    t.after(() => delete process.env.VERIFY_WORKER_FAIL_START)
    const crashing = pool.verifyChunk(keyOf(doomed), (await doomed.chunk(0)).tickets)
    const waiting = pool.verifyChunk(keyOf(batch), (await batch.chunk(0)).tickets)
    await assert.rejects(crashing, { code: 'VERIFICATION_UNAVAILABLE' })
    await assert.rejects(waiting, { code: 'VERIFICATION_UNAVAILABLE', message: 'no verification worker is running' })
    assert.equal(pool.runningWorkers, 0)
    assert.match(exits.at(-1)!.message, /simulated start failure/)

    delete process.env.VERIFY_WORKER_FAIL_START
    // Chunks sent while the pool waits to try again are served once a worker starts.
    assert.deepEqual(await pool.verifyChunk(keyOf(batch), (await batch.chunk(1)).tickets), [])
    assert.equal(pool.runningWorkers, 1)
  })

  test('a worker script that cannot start makes creating the pool fail rather than hang', async () => {
    await assert.rejects(
      createWorkerPoolChunkVerifier({ threads: 1, workerUrl: new URL('./no-such-worker.mjs', import.meta.url) }),
      /verification workers failed to start/,
    )
  })

  test('close() terminates the workers, refuses the chunks still in flight, and later ones', async () => {
    const pool = await createWorkerPoolChunkVerifier({ threads: 2 })
    assert.equal(pool.runningWorkers, 2)
    const batch = await makeTestBatch({ quantity: 500 })
    assert.deepEqual(await pool.verifyChunk(keyOf(batch), (await batch.chunk(0)).tickets), [])
    const chunks = await Promise.all([1, 2, 3, 4, 5, 6].map(async (index) => (await batch.chunk(index)).tickets))
    const inFlight = Promise.allSettled(chunks.map((tickets) => pool.verifyChunk(keyOf(batch), tickets)))
    await pool.close()
    assert.equal(pool.runningWorkers, 0)
    const outcomes = await inFlight
    assert.ok(
      outcomes.some((outcome) => outcome.status === 'rejected'),
      'chunks still held by the workers are refused',
    )
    await pool.close() // twice is harmless
    await assert.rejects(pool.verifyChunk(keyOf(batch), (await batch.chunk(0)).tickets), { code: 'VERIFICATION_UNAVAILABLE' })
  })

  test('an empty chunk is answered without a worker', async (t) => {
    const pool = await startPool(t, { threads: 1 })
    assert.deepEqual(await pool.verifyChunk({ batchId: 'x', ticketType: 'y', publicKey: 'z' }, []), [])
  })

  test('a key that does not import fails the chunk, as it does in process', async (t) => {
    const pool = await startPool(t, { threads: 1 })
    const batch = await makeTestBatch()
    const key = { ...keyOf(batch), publicKey: 'not a key' }
    const tickets = (await batch.chunk(0)).tickets
    await assert.rejects(createInProcessChunkVerifier().verifyChunk(key, tickets))
    await assert.rejects(pool.verifyChunk(key, tickets), { code: 'VERIFICATION_FAILED', statusCode: 500 })
  })
})
