// Runs of chunks: PUT /api/batches/:id/chunks/:first-:last carries consecutive chunks' signatures
// in one request and answers one result per chunk, each exactly what a single upload of that
// chunk would have answered. A refused chunk does not undo its neighbours.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { SIGNATURE_CHUNK_MEDIA_TYPE, type ChunkRunResult } from '@boxoffice/tickets'
import { StorageUnavailableError } from '../src/db/storage-unavailable.ts'
import type { ChunkToCommit } from '../src/db/ticket-repository.ts'
import {
  addTestAccount,
  buildTestApp,
  createBatch,
  createWithChunks,
  databaseSnapshot,
  errorOf,
  getStatus,
  makeTestBatch,
  putChunk,
  signaturesOf,
  signIn,
  tamperToken,
  type Client,
  type TestBatch,
} from './helper.ts'

async function runBody(batch: TestBatch, first: number, last: number, alter?: (index: number, bytes: Buffer) => Buffer): Promise<Buffer> {
  const parts: Buffer[] = []
  for (let index = first; index <= last; index++) {
    const bytes = signaturesOf(await batch.chunk(index))
    parts.push(alter ? alter(index, bytes) : bytes)
  }
  return Buffer.concat(parts)
}

function putRun(api: Client, batchId: string, first: number, last: number, payload: Buffer, contentType = SIGNATURE_CHUNK_MEDIA_TYPE) {
  return api.inject({
    method: 'PUT',
    url: `/api/batches/${batchId}/chunks/${first}-${last}`,
    headers: { 'content-type': contentType },
    payload,
  })
}

function resultsOf(response: { statusCode: number; body: string; json(): unknown }): ChunkRunResult[] {
  assert.equal(response.statusCode, 200, response.body)
  return (response.json() as { results: ChunkRunResult[] }).results
}

describe('PUT /api/batches/:id/chunks/:first-:last (a run of chunks)', () => {
  test('commits every chunk, each acknowledged as its single upload would be, and stores the same tickets', async (t) => {
    const { api, database } = await buildTestApp(t)
    const viaRun = await makeTestBatch({ quantity: 480 }) // 10 chunks, the last one of 30
    await createBatch(api, viaRun.body)
    const results = resultsOf(await putRun(api, viaRun.id, 0, 9, await runBody(viaRun, 0, 9)))
    assert.deepEqual(
      results.map((result) => [result.index, result.status]),
      Array.from({ length: 10 }, (_, index) => [index, 200]),
    )
    for (const result of results) {
      assert.equal(result.ack!.duplicate, false)
      assert.equal(result.ack!.index, result.index)
    }
    // Each ack carries the counters as its own commit left them; the chunks commit in any order.
    assert.deepEqual(
      [Math.max(...results.map((result) => result.ack!.chunksReceived)), Math.max(...results.map((result) => result.ack!.ticketsReceived))],
      [10, 480],
    )
    // The same chunks one by one give the same digests, and the database the same tickets.
    for (const result of results) {
      const single = await putChunk(api, viaRun.id, result.index, await viaRun.chunk(result.index))
      assert.deepEqual([single.statusCode, single.json().digest, single.json().duplicate], [200, result.ack!.digest, true])
    }
    const stored = (await databaseSnapshot(database)).tickets.filter((ticket) => ticket.batch_id === viaRun.id)
    assert.equal(stored.length, 480)
    assert.deepEqual(
      stored.map((ticket) => ticket.token),
      await Promise.all(stored.map((ticket) => viaRun.token(ticket.serial))),
    )
    assert.deepEqual((await getStatus(api, viaRun.id)).committedChunks, [[0, 9]])
  })

  test('a replayed or overlapping run answers duplicate for what was committed and commits the rest', async (t) => {
    const { api } = await buildTestApp(t)
    const batch = await makeTestBatch({ quantity: 500 })
    await createWithChunks(api, batch, [2, 3])
    const results = resultsOf(await putRun(api, batch.id, 0, 5, await runBody(batch, 0, 5)))
    assert.deepEqual(
      results.map((result) => result.ack!.duplicate),
      [false, false, true, true, false, false],
    )
    const replay = resultsOf(await putRun(api, batch.id, 0, 5, await runBody(batch, 0, 5)))
    assert.deepEqual(
      replay.map((result) => result.ack!.duplicate),
      [true, true, true, true, true, true],
    )
    assert.equal((await getStatus(api, batch.id)).ticketsReceived, 300)
  })

  test("a chunk with a bad signature is refused with the single upload's answer; its neighbours are committed and stay so", async (t) => {
    const { api, database } = await buildTestApp(t)
    const batch = await makeTestBatch({ quantity: 250 })
    await createBatch(api, batch.body)
    const body = await runBody(batch, 0, 4, (index, bytes) => {
      if (index !== 2) return bytes
      const damaged = Buffer.from(bytes)
      damaged[64 * 7 + 3]! ^= 1 // ticket 107's signature
      return damaged
    })
    const results = resultsOf(await putRun(api, batch.id, 0, 4, body))
    assert.deepEqual(
      results.map((result) => result.status),
      [200, 200, 422, 200, 200],
    )
    assert.equal(results[2]!.error!.code, 'TOKEN_INVALID')
    assert.match(results[2]!.error!.message, /^ticket 107: token signature invalid/)
    // The same chunk sent alone is refused with the same body.
    const alone = await putChunk(api, batch.id, 2, {
      tickets: (await batch.chunk(2)).tickets.map((ticket) =>
        ticket.serial === 107 ? { ...ticket, token: tamperToken(ticket.token) } : ticket,
      ),
    })
    assert.equal(alone.statusCode, 422)
    assert.deepEqual(errorOf(alone).code, results[2]!.error!.code)
    const stored = (await databaseSnapshot(database)).chunks
      .filter((chunk) => chunk.batch_id === batch.id)
      .map((chunk) => chunk.chunk_index)
    assert.deepEqual(stored, [0, 1, 3, 4])
  })

  test('a chunk committed earlier with other content is 409 CHUNK_CONFLICT within the run; a finished batch refuses each chunk', async (t) => {
    const { api } = await buildTestApp(t)
    const batch = await makeTestBatch({ quantity: 150 })
    await createWithChunks(api, batch, [1])
    const results = resultsOf(
      await putRun(
        api,
        batch.id,
        0,
        2,
        await runBody(batch, 0, 2, (index, bytes) => (index === 1 ? Buffer.from(bytes).fill(7, 0, 64) : bytes)),
      ),
    )
    assert.deepEqual(
      results.map((result) => [result.status, result.error?.code]),
      [
        [200, undefined],
        [409, 'CHUNK_CONFLICT'],
        [200, undefined],
      ],
    )

    const cancelled = await makeTestBatch({ quantity: 100 })
    await createWithChunks(api, cancelled, [])
    await api.inject({ method: 'POST', url: `/api/batches/${cancelled.id}/cancel` })
    const refused = resultsOf(await putRun(api, cancelled.id, 0, 1, await runBody(cancelled, 0, 1)))
    assert.deepEqual(
      refused.map((result) => [result.status, result.error?.code]),
      [
        [409, 'BATCH_NOT_OPEN'],
        [409, 'BATCH_NOT_OPEN'],
      ],
    )
  })

  test('a storage fault on one chunk is its 503 with Retry-After; the others are committed', async (t) => {
    const { app, api } = await buildTestApp(t)
    const batch = await makeTestBatch({ quantity: 200 })
    await createBatch(api, batch.body)
    const commit = app.repository.commitChunk.bind(app.repository)
    app.repository.commitChunk = async (chunk: ChunkToCommit) => {
      if (chunk.index === 1)
        throw new StorageUnavailableError('full', { operation: 'commitChunk', driverCode: 'SQLITE_FULL', cause: new Error('full') })
      return commit(chunk)
    }
    const results = resultsOf(await putRun(api, batch.id, 0, 3, await runBody(batch, 0, 3)))
    assert.deepEqual(
      results.map((result) => result.status),
      [200, 503, 200, 200],
    )
    assert.deepEqual([results[1]!.error!.code, results[1]!.retryAfterSeconds], ['STORAGE_UNAVAILABLE', 30])
    assert.deepEqual((await getStatus(api, batch.id)).committedChunks, [
      [0, 0],
      [2, 3],
    ])
  })

  test('two overlapping runs at once commit each chunk exactly once', async (t) => {
    const { api, database } = await buildTestApp(t, { verifyThreads: 2 })
    const batch = await makeTestBatch({ quantity: 750 })
    await createBatch(api, batch.body)
    const [a, b] = await Promise.all([
      putRun(api, batch.id, 0, 9, await runBody(batch, 0, 9)),
      putRun(api, batch.id, 5, 14, await runBody(batch, 5, 14)),
    ])
    const all = [...resultsOf(a), ...resultsOf(b)]
    assert.ok(all.every((result) => result.status === 200))
    const fresh = all
      .filter((result) => !result.ack!.duplicate)
      .map((result) => result.index)
      .sort((x, y) => x - y)
    assert.deepEqual(
      fresh,
      Array.from({ length: 15 }, (_, index) => index),
      'each chunk committed by exactly one of the two',
    )
    const status = await getStatus(api, batch.id)
    assert.deepEqual([status.chunksReceived, status.ticketsReceived], [15, 750])
    assert.equal((await databaseSnapshot(database)).tickets.filter((ticket) => ticket.batch_id === batch.id).length, 750)
  })

  test('a run whose shape is wrong is refused whole, naming what is wrong, and stores nothing', async (t) => {
    const { app, api, database } = await buildTestApp(t)
    const batch = await makeTestBatch({ quantity: 120 })
    await createBatch(api, batch.body)
    const before = await databaseSnapshot(database)
    const body = await runBody(batch, 0, 1)
    const cases: [Promise<{ statusCode: number; body: string; json(): unknown }>, number, string, RegExp][] = [
      [
        putRun(api, batch.id, 0, 1, body.subarray(0, body.length - 64)),
        400,
        'INVALID_REQUEST',
        /^chunks 0-1 of this batch hold 100 tickets, 6400 bytes of signatures; got 6336 bytes$/,
      ],
      [putRun(api, batch.id, 1, 0, body), 400, 'INVALID_REQUEST', /is backwards/],
      [putRun(api, batch.id, 0, 32, body), 400, 'INVALID_REQUEST', /at most 32 chunks/],
      [putRun(api, batch.id, 1, 3, body), 422, 'CHUNK_INDEX_OUT_OF_RANGE', /chunks 0–2|chunks 0-2/],
      [putRun(api, crypto.randomUUID(), 0, 1, body), 404, 'BATCH_NOT_FOUND', /not found/],
      [
        putRun(api, batch.id, 0, 1, Buffer.from(JSON.stringify(await batch.chunk(0))), 'application/json'),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        /application\/vnd\.boxoffice\.signatures/,
      ],
      [putRun(api, batch.id, 0, 1, Buffer.alloc(0)), 400, 'INVALID_REQUEST', /./],
    ]
    for (const [sent, status, code, message] of cases) {
      const response = await sent
      assert.equal(response.statusCode, status, response.body)
      assert.equal(errorOf(response).code, code)
      assert.match(errorOf(response).message, message)
    }
    // Another account's batch looks like no batch at all.
    await addTestAccount(app, 'other')
    const other = await signIn(app, 'other')
    assert.equal((await putRun(other.api, batch.id, 0, 1, body)).statusCode, 404)
    assert.deepEqual(await databaseSnapshot(database), before)
  })
})
