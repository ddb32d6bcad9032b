import assert from 'node:assert/strict'
import { test } from 'node:test'
import { buildTestApp, clientOf, createWithChunks, getStatus, inspect, makeTestBatch, openApp, putChunk } from './helper.ts'

test('after a restart in the middle of a batch the server holds exactly the committed chunks and resumes', async (t) => {
  const { app, api, token, database } = await buildTestApp(t)
  const batch = await makeTestBatch({ quantity: 400 })
  await createWithChunks(api, batch, [0, 1, 2, 5])
  const before = await getStatus(api, batch.id)
  await app.close()

  // The session lives in the database, so the same cookie still works after the restart.
  const reopened = clientOf(await openApp(t, database), token)
  const after = await getStatus(reopened, batch.id)
  assert.deepEqual(after, before)
  assert.deepEqual(after.committedChunks, [
    [0, 2],
    [5, 5],
  ])
  assert.equal(after.ticketsReceived, 200)

  const db = await inspect(t, database)
  assert.equal(await db.countRows('tickets'), 200)

  // Resume: a chunk acknowledged before the restart is still a duplicate, the rest are accepted.
  assert.equal((await putChunk(reopened, batch.id, 1, await batch.chunk(1))).json().duplicate, true)
  for (const index of [3, 4, 6, 7]) {
    assert.equal((await putChunk(reopened, batch.id, index, await batch.chunk(index))).statusCode, 200)
  }
  const completed = await reopened.inject({ method: 'POST', url: `/api/batches/${batch.id}/complete` })
  assert.equal(completed.statusCode, 200)
  assert.equal(completed.json().ticketsReceived, 400)
})
