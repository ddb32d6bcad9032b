import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, test } from 'node:test'
import type { ChunkVerifier } from '../src/verification/chunk-verifier.ts'
import { createInProcessChunkVerifier } from '../src/verification/in-process-chunk-verifier.ts'
import {
  batchWithCommittedChunkZero,
  buildTestApp,
  createBatch,
  createWithChunks,
  errorOf,
  getStatus,
  makeTestBatch,
  putChunk,
  storedProgress,
  tamperToken,
  verifyToken,
} from './helper.ts'

describe('PUT /api/batches/:id/chunks/:index accepts', () => {
  test('a correct chunk: 200 ChunkAck with the digest and the new counters, tickets stored', async (t) => {
    const { api } = await buildTestApp(t)
    const batch = await makeTestBatch({ quantity: 120 })
    await createBatch(api, batch.body)
    const body = await batch.chunk(1)
    const response = await putChunk(api, batch.id, 1, body)
    assert.equal(response.statusCode, 200)
    const digest = createHash('sha256')
      .update(body.tickets.map((ticket) => ticket.token).join('\n'))
      .digest('hex')
    assert.deepEqual(response.json(), { batchId: batch.id, index: 1, digest, duplicate: false, chunksReceived: 1, ticketsReceived: 50 })
    assert.deepEqual((await getStatus(api, batch.id)).committedChunks, [[1, 1]])
    assert.equal((await verifyToken(api, body.tickets[7]!.token)).valid, true)
  })

  test('the shorter last chunk', async (t) => {
    const { api } = await buildTestApp(t)
    const batch = await makeTestBatch({ quantity: 120 })
    await createBatch(api, batch.body)
    const response = await putChunk(api, batch.id, 2, await batch.chunk(2))
    assert.equal(response.statusCode, 200)
    assert.equal(response.json().ticketsReceived, 20)
  })
})

describe('PUT /api/batches/:id/chunks/:index replays', () => {
  test('the same chunk again: 200 duplicate:true and nothing inserted', async (t) => {
    const { api, batch, before } = await batchWithCommittedChunkZero(t)
    const response = await putChunk(api, batch.id, 0, await batch.chunk(0))
    assert.equal(response.statusCode, 200)
    assert.equal(response.json().duplicate, true)
    assert.equal(response.json().ticketsReceived, 50)
    assert.deepEqual(await storedProgress(api, batch.id), before)
  })

  test('the same chunk after the batch completed or was cancelled still answers 200 duplicate:true', async (t) => {
    const { api } = await buildTestApp(t)
    const done = await makeTestBatch({ quantity: 50 })
    await createWithChunks(api, done, [0])
    await api.inject({ method: 'POST', url: `/api/batches/${done.id}/complete` })
    const afterComplete = await putChunk(api, done.id, 0, await done.chunk(0))
    assert.equal(afterComplete.statusCode, 200)
    assert.equal(afterComplete.json().duplicate, true)

    const cancelled = await makeTestBatch({ quantity: 100 })
    await createWithChunks(api, cancelled, [0])
    await api.inject({ method: 'POST', url: `/api/batches/${cancelled.id}/cancel` })
    const afterCancel = await putChunk(api, cancelled.id, 0, await cancelled.chunk(0))
    assert.equal(afterCancel.statusCode, 200)
    assert.equal(afterCancel.json().duplicate, true)
  })

  test('different content for a committed index: 409 CHUNK_CONFLICT and the stored tickets unchanged', async (t) => {
    const { api, batch, before } = await batchWithCommittedChunkZero(t)
    const body = await batch.chunk(0)
    const original = body.tickets[3]!.token
    body.tickets[3] = { serial: 3, token: tamperToken(original) }
    const response = await putChunk(api, batch.id, 0, body)
    assert.equal(response.statusCode, 409)
    assert.equal(errorOf(response).code, 'CHUNK_CONFLICT')
    assert.match(errorOf(response).message, /chunk 0 of batch .* is already committed with different content/)
    assert.deepEqual(await storedProgress(api, batch.id), before)
    assert.equal((await verifyToken(api, original)).valid, true)
  })
})

describe('PUT /api/batches/:id/chunks/:index under concurrency', () => {
  test('20 concurrent identical uploads of one chunk store it exactly once', async (t) => {
    const { api } = await buildTestApp(t)
    const batch = await makeTestBatch({ quantity: 120 })
    await createBatch(api, batch.body)
    const body = await batch.chunk(1)
    const responses = await Promise.all(Array.from({ length: 20 }, () => putChunk(api, batch.id, 1, body)))
    assert.deepEqual(new Set(responses.map((response) => response.statusCode)), new Set([200]))
    assert.equal(responses.filter((response) => response.json().duplicate === false).length, 1)
    const status = await getStatus(api, batch.id)
    assert.equal(status.chunksReceived, 1)
    assert.equal(status.ticketsReceived, 50)
  })

  test('uploads that all passed the early duplicate check while verifying are still stored once', async (t) => {
    // Holds every verification until all 20 requests are verifying, so none has committed yet
    // when each passed step 3: only the re-check inside the transaction can catch the duplicates.
    const inner = createInProcessChunkVerifier()
    const waiting: (() => void)[] = []
    const gated: ChunkVerifier = {
      library: inner.library,
      async verifyChunk(batch, tickets) {
        await new Promise<void>((release) => {
          waiting.push(release)
          if (waiting.length === 20) waiting.forEach((go) => go())
        })
        return inner.verifyChunk(batch, tickets)
      },
      close: () => inner.close(),
    }
    const { api } = await buildTestApp(t, { chunkVerifier: gated })
    const batch = await makeTestBatch({ quantity: 120 })
    await createBatch(api, batch.body)
    const body = await batch.chunk(0)
    const responses = await Promise.all(Array.from({ length: 20 }, () => putChunk(api, batch.id, 0, body)))
    assert.equal(waiting.length, 20)
    assert.deepEqual(responses.map((response) => response.json().duplicate).sort(), [false, ...Array(19).fill(true)])
    assert.equal((await getStatus(api, batch.id)).ticketsReceived, 50)
  })
})

describe('PUT /api/batches/:id/chunks/:index replays with wrong serials', () => {
  test('the committed tokens with a serial changed beside them: 422 CHUNK_SERIAL_MISMATCH, not a duplicate', async (t) => {
    const { api, batch, before } = await batchWithCommittedChunkZero(t)
    const body = await batch.chunk(0)
    body.tickets[0] = { ...body.tickets[0]!, serial: 1 }
    const response = await putChunk(api, batch.id, 0, body)
    assert.equal(response.statusCode, 422)
    assert.equal(errorOf(response).code, 'CHUNK_SERIAL_MISMATCH')
    assert.deepEqual(await storedProgress(api, batch.id), before)
  })
})
