import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  buildTestApp,
  createBatch,
  createWithChunks,
  errorOf,
  getStatus,
  makeTestBatch,
  putChunk,
  storedProgress,
  type Client,
} from './helper.ts'

function post(api: Client, id: string, action: 'complete' | 'cancel') {
  return api.inject({ method: 'POST', url: `/api/batches/${id}/${action}` })
}

describe('POST /api/batches/:id/complete', () => {
  test('with chunks missing is 409 BATCH_INCOMPLETE naming the missing chunk and serial ranges; after the rest arrive it completes', async (t) => {
    const { api } = await buildTestApp(t)
    const batch = await makeTestBatch({ quantity: 480 }) // chunks 0–9, the last one 30 tickets
    await createWithChunks(api, batch, [0, 1, 4, 5, 6, 8])

    const refused = await post(api, batch.id, 'complete')
    assert.equal(refused.statusCode, 409)
    const error = errorOf(refused)
    assert.equal(error.code, 'BATCH_INCOMPLETE')
    assert.equal(
      error.message,
      `batch ${batch.id} is missing 4 of 10 chunks: 2–3 (serials 100–199), 7 (serials 350–399), 9 (serials 450–479)`,
    )
    assert.deepEqual(error.details, {
      missingChunks: [
        [2, 3],
        [7, 7],
        [9, 9],
      ],
      missingChunkCount: 4,
    })
    const open = await getStatus(api, batch.id)
    assert.equal(open.state, 'open')
    assert.equal(open.finishedAt, null)

    for (const index of [2, 3, 7, 9]) await putChunk(api, batch.id, index, await batch.chunk(index))
    const completed = await post(api, batch.id, 'complete')
    assert.equal(completed.statusCode, 200)
    const status = completed.json()
    assert.equal(status.state, 'completed')
    assert.ok(!Number.isNaN(Date.parse(status.finishedAt)))
    assert.equal(status.ticketsReceived, 480)
    assert.deepEqual(status.committedChunks, [[0, 9]])

    const replay = await post(api, batch.id, 'complete')
    assert.equal(replay.statusCode, 200)
    assert.deepEqual(replay.json(), status)
  })

  test('completion works with an empty JSON body sent with content-type application/json', async (t) => {
    const { api } = await buildTestApp(t)
    const batch = await makeTestBatch({ quantity: 50 })
    await createWithChunks(api, batch, [0])
    const response = await api.inject({
      method: 'POST',
      url: `/api/batches/${batch.id}/complete`,
      headers: { 'content-type': 'application/json' },
    })
    assert.equal(response.statusCode, 200)
    assert.equal(response.json().state, 'completed')
  })

  test('a cancelled batch cannot be completed (409 BATCH_NOT_OPEN)', async (t) => {
    const { api } = await buildTestApp(t)
    const batch = await makeTestBatch({ quantity: 50 })
    await createWithChunks(api, batch, [0])
    await post(api, batch.id, 'cancel')
    const response = await post(api, batch.id, 'complete')
    assert.equal(response.statusCode, 409)
    assert.equal(errorOf(response).code, 'BATCH_NOT_OPEN')
    assert.equal(errorOf(response).message, `batch ${batch.id} is cancelled; it cannot be completed`)
    assert.equal((await getStatus(api, batch.id)).state, 'cancelled')
  })

  test('an unknown batch is 404 BATCH_NOT_FOUND', async (t) => {
    const { api } = await buildTestApp(t)
    const response = await post(api, crypto.randomUUID(), 'complete')
    assert.equal(response.statusCode, 404)
    assert.equal(errorOf(response).code, 'BATCH_NOT_FOUND')
  })
})

describe('POST /api/batches/:id/cancel', () => {
  test('cancels an open batch, keeps the tickets received, refuses further chunks, and answers a replay with 200', async (t) => {
    const { api } = await buildTestApp(t)
    const batch = await makeTestBatch({ quantity: 150 })
    await createWithChunks(api, batch, [0])
    const response = await post(api, batch.id, 'cancel')
    assert.equal(response.statusCode, 200)
    assert.equal(response.json().state, 'cancelled')
    assert.ok(response.json().finishedAt)
    assert.equal(response.json().ticketsReceived, 50)
    assert.deepEqual(response.json().committedChunks, [[0, 0]])

    const before = await storedProgress(api, batch.id)
    const late = await putChunk(api, batch.id, 1, await batch.chunk(1))
    assert.equal(late.statusCode, 409)
    assert.equal(errorOf(late).code, 'BATCH_NOT_OPEN')
    assert.deepEqual(await storedProgress(api, batch.id), before)

    const replay = await post(api, batch.id, 'cancel')
    assert.equal(replay.statusCode, 200)
    assert.deepEqual(replay.json(), response.json())
  })

  test('a completed batch cannot be cancelled (409 BATCH_NOT_OPEN)', async (t) => {
    const { api } = await buildTestApp(t)
    const batch = await makeTestBatch({ quantity: 50 })
    await createWithChunks(api, batch, [0])
    await post(api, batch.id, 'complete')
    const response = await post(api, batch.id, 'cancel')
    assert.equal(response.statusCode, 409)
    assert.equal(errorOf(response).code, 'BATCH_NOT_OPEN')
    assert.equal(errorOf(response).message, `batch ${batch.id} is completed; it cannot be cancelled`)
    assert.equal((await getStatus(api, batch.id)).state, 'completed')
  })

  test('an empty batch can be cancelled', async (t) => {
    const { api } = await buildTestApp(t)
    const batch = await makeTestBatch()
    await createBatch(api, batch.body)
    assert.equal((await post(api, batch.id, 'cancel')).json().state, 'cancelled')
  })
})
