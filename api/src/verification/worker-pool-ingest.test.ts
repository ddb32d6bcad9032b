// The chunk route on the real app with its verification in a worker pool, end to end through inject.
import assert from 'node:assert/strict'
import { gzipSync } from 'node:zlib'
import { test } from 'node:test'
import { buildTestApp, createBatch, errorOf, getStatus, makeTestBatch, putChunk, tamperToken } from '../../test/helper.ts'
import { createWorkerPoolChunkVerifier, type WorkerPoolChunkVerifier } from './worker-pool-chunk-verifier.ts'

test('an app built with verifyThreads ingests chunks in parallel and refuses a bad token as in process', async (t) => {
  const { app, api } = await buildTestApp(t, { verifyThreads: 2 })
  assert.equal((app.chunkVerifier as WorkerPoolChunkVerifier).runningWorkers, 2)
  const batch = await makeTestBatch({ quantity: 400 })
  await createBatch(api, batch.body)

  const bad = await batch.chunk(7)
  bad.tickets[3] = { ...bad.tickets[3]!, token: tamperToken(bad.tickets[3]!.token) }
  const [refused, ...accepted] = await Promise.all([
    putChunk(api, batch.id, 7, bad),
    ...[0, 1, 2, 3, 4, 5, 6].map(async (index) => putChunk(api, batch.id, index, await batch.chunk(index))),
  ])
  assert.deepEqual(
    accepted.map((response) => response.statusCode),
    Array(7).fill(200),
  )
  assert.equal(refused!.statusCode, 422)
  assert.deepEqual(errorOf(refused!), {
    code: 'TOKEN_INVALID',
    message: 'ticket 353: token signature invalid',
    details: { problemCount: 1, problems: [{ serial: 353, reason: 'BAD_SIGNATURE', message: 'token signature invalid' }] },
  })
  assert.equal((await getStatus(api, batch.id)).ticketsReceived, 350)

  const gzipped = await api.inject({
    method: 'PUT',
    url: `/api/batches/${batch.id}/chunks/7`,
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    payload: gzipSync(JSON.stringify(await batch.chunk(7))),
  })
  assert.equal(gzipped.statusCode, 200, gzipped.body)
  assert.equal((await getStatus(api, batch.id)).ticketsReceived, 400)

  await app.close()
  assert.equal((app.chunkVerifier as WorkerPoolChunkVerifier).runningWorkers, 0, 'closing the app terminates the workers')
})

test('a chunk whose verification worker crashes is a 503 VERIFICATION_UNAVAILABLE that stores nothing, and the next chunk is served', async (t) => {
  const pool = await createWorkerPoolChunkVerifier({
    threads: 1,
    workerUrl: new URL('./verify-worker.crash-fixture.mjs', import.meta.url),
  })
  const { api } = await buildTestApp(t, { chunkVerifier: pool })
  const doomed = await makeTestBatch({ ticketType: 'crash the worker' })
  await createBatch(api, doomed.body)
  const crashed = await putChunk(api, doomed.id, 0, await doomed.chunk(0))
  assert.equal(crashed.statusCode, 503)
  assert.equal(crashed.headers['retry-after'], '1')
  assert.deepEqual(errorOf(crashed), {
    code: 'VERIFICATION_UNAVAILABLE',
    message: 'ticket signatures cannot be checked right now; nothing was stored',
  })
  assert.deepEqual((await getStatus(api, doomed.id)).committedChunks, [])

  const batch = await makeTestBatch()
  await createBatch(api, batch.body)
  assert.equal((await putChunk(api, batch.id, 0, await batch.chunk(0))).statusCode, 200)
})
