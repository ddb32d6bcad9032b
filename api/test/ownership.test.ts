import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
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
  signIn,
  verifyToken,
} from './helper.ts'

/** `staff` owns a 120-ticket batch with chunk 0 committed; `other` (staff) and `boss` (admin) are signed in too. */
async function batchOwnedByStaff(t: Parameters<typeof buildTestApp>[0]) {
  const { app, api, database } = await buildTestApp(t)
  await addTestAccount(app, 'other')
  await addTestAccount(app, 'boss', 'admin')
  const other = (await signIn(app, 'other')).api
  const admin = (await signIn(app, 'boss')).api
  const batch = await makeTestBatch({ quantity: 120 })
  await createWithChunks(api, batch, [0])
  return { app, owner: api, other, admin, batch, database }
}

describe('a batch belongs to the account that created it', () => {
  test('another staff account cannot upload into it, complete it, cancel it or see it: 404 BATCH_NOT_FOUND, nothing changes', async (t) => {
    const { other, batch, database } = await batchOwnedByStaff(t)
    const before = await databaseSnapshot(database)
    const attempts = {
      'a new chunk': await putChunk(other, batch.id, 1, await batch.chunk(1)),
      'a replay of a committed chunk': await putChunk(other, batch.id, 0, await batch.chunk(0)),
      complete: await other.inject({ method: 'POST', url: `/api/batches/${batch.id}/complete` }),
      cancel: await other.inject({ method: 'POST', url: `/api/batches/${batch.id}/cancel` }),
      status: await other.inject({ method: 'GET', url: `/api/batches/${batch.id}` }),
    }
    for (const [name, response] of Object.entries(attempts)) {
      assert.equal(response.statusCode, 404, name)
      // Word for word what a batch that does not exist gets.
      assert.deepEqual(errorOf(response), { code: 'BATCH_NOT_FOUND', message: `batch ${batch.id} not found` }, name)
    }
    assert.deepEqual(await databaseSnapshot(database), before)
    const list = await other.inject({ method: 'GET', url: '/api/batches' })
    assert.deepEqual(list.json().batches, [])
  })

  test("an admin sees every batch and who created it, but cannot change another account's: 403 BATCH_FORBIDDEN", async (t) => {
    const { owner, admin, batch, database } = await batchOwnedByStaff(t)
    const ownBatch = await makeTestBatch({ quantity: 50 })
    await createBatch(admin, ownBatch.body)
    const list = await admin.inject({ method: 'GET', url: '/api/batches' })
    assert.deepEqual(
      list.json().batches.map((b: { id: string; createdBy: string }) => [b.id, b.createdBy]),
      [
        [ownBatch.id, 'boss'],
        [batch.id, 'staff'],
      ],
    )
    assert.equal((await getStatus(admin, batch.id)).createdBy, 'staff')

    const before = await databaseSnapshot(database)
    for (const response of [
      await putChunk(admin, batch.id, 1, await batch.chunk(1)),
      await admin.inject({ method: 'POST', url: `/api/batches/${batch.id}/cancel` }),
    ]) {
      assert.equal(response.statusCode, 403)
      assert.equal(errorOf(response).code, 'BATCH_FORBIDDEN')
    }
    assert.deepEqual(await databaseSnapshot(database), before)
    // Staff list only their own.
    const ownList = await owner.inject({ method: 'GET', url: '/api/batches' })
    assert.deepEqual(
      ownList.json().batches.map((b: { id: string }) => b.id),
      [batch.id],
    )
  })

  test("creating a batch with the id of another account's batch is 409 BATCH_CONFLICT, even with the same body", async (t) => {
    const { other, batch, database } = await batchOwnedByStaff(t)
    const before = await databaseSnapshot(database)
    const response = await createBatch(other, batch.body)
    assert.equal(response.statusCode, 409)
    assert.deepEqual(errorOf(response), {
      code: 'BATCH_CONFLICT',
      message: `batch ${batch.id} already exists`,
      details: { fields: ['id'] },
    })
    assert.deepEqual(await databaseSnapshot(database), before)
  })

  test('the batch records its creator, and any signed-in account can verify its tickets (gate staff)', async (t) => {
    const { app, other, batch, database } = await batchOwnedByStaff(t)
    const staff = await app.accounts.findAccount('staff')
    assert.equal((await databaseSnapshot(database)).batches[0]!.created_by, staff!.id)
    assert.equal((await verifyToken(other, await batch.token(3))).valid, true)
  })
})
