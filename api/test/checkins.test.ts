import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { importPublicKey, verifyToken } from '@boxoffice/tickets'
import { completedBatch } from './completed-batch.ts'
import {
  addTestAccount,
  buildTestApp,
  clientOf,
  createBatch,
  createWithChunks,
  errorOf,
  forgeWithBatchKey,
  makeTestBatch,
  openApp,
  putChunk,
  signIn,
  tamperToken,
  type Client,
} from './helper.ts'

async function checkIn(api: Client, payload: object) {
  const response = await api.inject({ method: 'POST', url: '/api/checkins', payload })
  assert.equal(response.statusCode, 200, response.body)
  return response.json()
}

async function sync(api: Client, deviceId: string, checkins: { token: string; checkedInAt: string; idempotencyKey?: string }[]) {
  const response = await api.inject({ method: 'POST', url: '/api/checkins/sync', payload: { deviceId, checkins } })
  assert.equal(response.statusCode, 200, response.body)
  return response.json()
}

async function revokeTicket(api: Client, batchId: string, serial: number, reason?: string) {
  return api.inject({ method: 'POST', url: `/api/batches/${batchId}/tickets/${serial}/revoke`, payload: reason ? { reason } : {} })
}

describe('POST /api/checkins', () => {
  test('the first scan of a ticket is valid; the next says when (and where) it was checked in', async (t) => {
    const { api } = await buildTestApp(t)
    const batch = await completedBatch(api, { quantity: 50 })
    const token = await batch.token(7)
    const first = await checkIn(api, { token, deviceId: 'gate-1' })
    assert.equal(first.result, 'valid')
    assert.deepEqual(first.ticket, {
      batchId: batch.id,
      serial: 7,
      ticketType: 'General admission',
      event: 'Spring Gala 2026',
      price: { amountMinor: 4500, currency: 'EUR' },
    })
    assert.ok(Math.abs(Date.parse(first.checkedInAt) - Date.now()) < 60_000)

    const second = await checkIn(api, { token, deviceId: 'gate-2' })
    assert.deepEqual(second, { result: 'already-checked-in', checkedInAt: first.checkedInAt, deviceId: 'gate-1', ticket: first.ticket })
    // Another ticket of the batch is unaffected.
    assert.equal((await checkIn(api, { token: await batch.token(8) })).result, 'valid')
  })

  test("replaying the first check-in's device and time, as an already-checked-in answer names them, is already-checked-in, not valid", async (t) => {
    const { api } = await buildTestApp(t)
    const batch = await completedBatch(api, { quantity: 50 })
    const token = await batch.token(3)
    assert.equal((await checkIn(api, { token, deviceId: 'gate-1', checkedInAt: '2026-11-29T19:30:00.000Z' })).result, 'valid')
    const answer = await checkIn(api, { token })
    assert.deepEqual([answer.result, answer.deviceId, answer.checkedInAt], ['already-checked-in', 'gate-1', '2026-11-29T19:30:00.000Z'])
    const replayed = await checkIn(api, { token, deviceId: answer.deviceId, checkedInAt: answer.checkedInAt })
    assert.equal(replayed.result, 'already-checked-in')
    // Offline sync is no back door: the same pair there is a conflict, not accepted.
    const synced = await sync(api, answer.deviceId, [{ token, checkedInAt: answer.checkedInAt }])
    assert.equal(synced.results[0].result, 'conflict')
  })

  test('a retry with the idempotency key the scan was sent with (e.g. after a lost answer) answers as the first did; the key is never echoed', async (t) => {
    const { api } = await buildTestApp(t)
    const batch = await completedBatch(api, { quantity: 50 })
    const idempotencyKey = crypto.randomUUID()
    const scan = { token: await batch.token(3), deviceId: 'gate-1', checkedInAt: '2026-11-29T19:30:00.000Z', idempotencyKey }
    const first = await api.inject({ method: 'POST', url: '/api/checkins', payload: scan })
    assert.equal(first.json().result, 'valid')
    const retry = await api.inject({ method: 'POST', url: '/api/checkins', payload: scan })
    assert.deepEqual(retry.json(), first.json())
    // The key is what proves a retry: the same key with another time is still the same scan.
    assert.deepEqual(await checkIn(api, { ...scan, checkedInAt: '2026-11-29T19:31:00.000Z' }), first.json())
    // A key guessed by someone who saw the answer is no key: keys are random, and never sent back.
    assert.equal((await checkIn(api, { ...scan, idempotencyKey: crypto.randomUUID() })).result, 'already-checked-in')
    const other = await api.inject({ method: 'POST', url: '/api/checkins', payload: { token: scan.token } })
    assert.equal(other.json().result, 'already-checked-in')
    for (const response of [first, retry, other]) assert.ok(!response.body.includes(idempotencyKey), response.body)
  })

  test('the idempotency key is tied to the account that recorded the check-in: another account sending it is already-checked-in', async (t) => {
    const { app, api } = await buildTestApp(t)
    const batch = await completedBatch(api, { quantity: 50 })
    const scan = {
      token: await batch.token(4),
      deviceId: 'gate-1',
      checkedInAt: '2026-11-29T19:30:00.000Z',
      idempotencyKey: crypto.randomUUID(),
    }
    assert.equal((await checkIn(api, scan)).result, 'valid')
    await addTestAccount(app, 'gate')
    const gate = (await signIn(app, 'gate')).api
    assert.equal((await checkIn(gate, scan)).result, 'already-checked-in')
    assert.equal((await checkIn(api, scan)).result, 'valid', 'the account that recorded it still may retry')
  })

  test('an idempotency key that is not 16–64 characters of A–Z a–z 0–9 _ - is 400 INVALID_REQUEST', async (t) => {
    const { api } = await buildTestApp(t)
    const batch = await completedBatch(api, { quantity: 50 })
    for (const idempotencyKey of ['', 'short', 'x'.repeat(65), 'has spaces in it here', 'ünïcode-ünïcode-ü']) {
      const response = await api.inject({ method: 'POST', url: '/api/checkins', payload: { token: await batch.token(0), idempotencyKey } })
      assert.equal(response.statusCode, 400, JSON.stringify(idempotencyKey))
      assert.equal(errorOf(response).code, 'INVALID_REQUEST')
    }
  })

  test('says why a ticket may not enter', async (t) => {
    const { api } = await buildTestApp(t)
    const batch = await completedBatch(api, { quantity: 50 })
    assert.equal((await revokeTicket(api, batch.id, 5, 'refunded')).statusCode, 201)
    const revokedWhole = await completedBatch(api, { quantity: 50 })
    assert.equal((await api.inject({ method: 'POST', url: `/api/batches/${revokedWhole.id}/revoke`, payload: {} })).statusCode, 201)
    const cancelled = await makeTestBatch({ quantity: 100 })
    await createWithChunks(api, cancelled, [0])
    await api.inject({ method: 'POST', url: `/api/batches/${cancelled.id}/cancel` })
    const open = await makeTestBatch({ quantity: 100 })
    await createWithChunks(api, open, [0])
    const unknown = await makeTestBatch()

    const cases: [string, string, string, RegExp][] = [
      ['a forged or altered token', tamperToken(await batch.token(1)), 'BAD_SIGNATURE', /signature/],
      ['not a token', 'not a token!', 'BAD_ENCODING', /base32/],
      ['a batch the server does not know', await unknown.token(0), 'UNKNOWN_BATCH', /not known/],
      ['a serial the batch never had', await batch.token(50), 'NOT_ISSUED', /outside batch/],
      [
        'another ticket type, signed with the batch key',
        await forgeWithBatchKey(batch, { ticketType: 'VIP' })(2),
        'NOT_ISSUED',
        /ticket type/,
      ],
      ['a revoked ticket', await batch.token(5), 'REVOKED', /ticket 5 of batch .* was revoked at .* \(refunded\)/],
      ['a ticket of a revoked batch', await revokedWhole.token(0), 'BATCH_CANCELLED', /was revoked/],
      ['a ticket of a cancelled batch', await cancelled.token(0), 'BATCH_CANCELLED', /was cancelled/],
      ['a ticket of a batch still uploading', await open.token(0), 'BATCH_NOT_COMPLETED', /not completed/],
      ['a ticket of a batch still uploading, not received yet', await open.token(60), 'BATCH_NOT_COMPLETED', /not completed/],
    ]
    for (const [name, token, reason, message] of cases) {
      const result = await checkIn(api, { token })
      assert.equal(result.result, 'invalid', name)
      assert.equal(result.reason, reason, name)
      assert.match(result.message, message, name)
      // A ticket is named only once its signature is known to be good.
      assert.equal(result.ticket === undefined, ['BAD_SIGNATURE', 'BAD_ENCODING', 'UNKNOWN_BATCH'].includes(reason), name)
    }
    // A refused scan records nothing: once the open batch is completed, its ticket checks in.
    assert.equal((await putChunk(api, open.id, 1, await open.chunk(1))).statusCode, 200)
    assert.equal((await api.inject({ method: 'POST', url: `/api/batches/${open.id}/complete` })).statusCode, 200)
    assert.equal((await checkIn(api, { token: await open.token(0) })).result, 'valid')
  })

  test('20 scanners checking in one ticket at the same moment: exactly one is valid, every other says when', async (t) => {
    const { api } = await buildTestApp(t, { verifyThreads: 2 })
    const batch = await completedBatch(api, { quantity: 50 })
    const token = await batch.token(12)
    const results = await Promise.all(Array.from({ length: 20 }, (_, scanner) => checkIn(api, { token, deviceId: `gate-${scanner}` })))
    const valid = results.filter((result) => result.result === 'valid')
    assert.equal(valid.length, 1)
    for (const other of results.filter((result) => result.result !== 'valid')) {
      assert.equal(other.result, 'already-checked-in')
      assert.equal(other.checkedInAt, valid[0].checkedInAt)
    }
  })

  test('two servers on one database, ten scanners each on one ticket: exactly one is valid', async (t) => {
    const { api, database } = await buildTestApp(t)
    const batch = await completedBatch(api, { quantity: 50 })
    // A second app on the same database: its own connections, as a second server instance has.
    const second = await openApp(t, database)
    const apis = [api, (await signIn(second, 'staff')).api]
    const token = await batch.token(30)
    const results = await Promise.all(apis.flatMap((server) => Array.from({ length: 10 }, () => checkIn(server, { token }))))
    assert.equal(results.filter((result) => result.result === 'valid').length, 1)
    assert.equal(results.filter((result) => result.result === 'already-checked-in').length, 19)
  })

  test('a check-in time that is not a real date is 400 INVALID_REQUEST', async (t) => {
    const { api } = await buildTestApp(t)
    const batch = await completedBatch(api, { quantity: 50 })
    for (const checkedInAt of ['2026-13-45T25:61:00Z', 'yesterday']) {
      const response = await api.inject({ method: 'POST', url: '/api/checkins', payload: { token: await batch.token(0), checkedInAt } })
      assert.equal(response.statusCode, 400, checkedInAt)
      assert.equal(errorOf(response).code, 'INVALID_REQUEST')
    }
  })
})

describe('POST /api/checkins/sync', () => {
  test('two devices offline check in the same ticket: the first to sync is accepted, the second is a conflict with the first time', async (t) => {
    const { api } = await buildTestApp(t)
    const batch = await completedBatch(api, { quantity: 50 })
    const shared = await batch.token(0)
    const deviceA = [
      { token: shared, checkedInAt: '2026-11-29T19:00:00.000Z', idempotencyKey: crypto.randomUUID() },
      { token: await batch.token(1), checkedInAt: '2026-11-29T19:00:05.000Z', idempotencyKey: crypto.randomUUID() },
    ]
    const deviceB = [
      { token: await batch.token(2), checkedInAt: '2026-11-29T19:01:00.000Z' },
      { token: shared, checkedInAt: '2026-11-29T19:02:00Z' },
      { token: tamperToken(await batch.token(3)), checkedInAt: '2026-11-29T19:03:00.000Z' },
    ]
    const a = await sync(api, 'device-a', deviceA)
    assert.deepEqual(
      a.results.map((r: { result: string }) => r.result),
      ['accepted', 'accepted'],
    )
    assert.equal(a.results[0].checkedInAt, '2026-11-29T19:00:00.000Z')

    const b = await sync(api, 'device-b', deviceB)
    assert.deepEqual(
      b.results.map((r: { result: string }) => r.result),
      ['accepted', 'conflict', 'invalid'],
    )
    assert.deepEqual(b.results[1], {
      result: 'conflict',
      checkedInAt: '2026-11-29T19:02:00.000Z',
      firstCheckedInAt: '2026-11-29T19:00:00.000Z',
      firstDeviceId: 'device-a',
      ticket: a.results[0].ticket,
    })
    assert.equal(b.results[2].reason, 'BAD_SIGNATURE')

    // Device A sends its batch again (its answer was lost): accepted again, not a conflict with itself.
    const again = await sync(api, 'device-a', deviceA)
    assert.deepEqual(
      again.results.map((r: { result: string }) => r.result),
      ['accepted', 'accepted'],
    )
    // The same device and times without the keys prove nothing: conflicts, as for any other device.
    const withoutKeys = await sync(
      api,
      'device-a',
      deviceA.map(({ token, checkedInAt }) => ({ token, checkedInAt })),
    )
    assert.deepEqual(
      withoutKeys.results.map((r: { result: string }) => r.result),
      ['conflict', 'conflict'],
    )
    // Online, the ticket is checked in, by device A, at A's time.
    const online = await checkIn(api, { token: shared })
    assert.deepEqual([online.result, online.checkedInAt, online.deviceId], ['already-checked-in', '2026-11-29T19:00:00.000Z', 'device-a'])
  })

  test('a scan whose online answer was lost, synced later with the same key, is accepted; a sync never echoes a key', async (t) => {
    const { api } = await buildTestApp(t)
    const batch = await completedBatch(api, { quantity: 50 })
    const idempotencyKey = crypto.randomUUID()
    const token = await batch.token(6)
    // The online request reached the server; the device never saw the answer and let the ticket in offline.
    assert.equal(
      (await checkIn(api, { token, deviceId: 'device-a', checkedInAt: '2026-11-29T19:00:00.000Z', idempotencyKey })).result,
      'valid',
    )
    const response = await api.inject({
      method: 'POST',
      url: '/api/checkins/sync',
      payload: { deviceId: 'device-a', checkins: [{ token, checkedInAt: '2026-11-29T19:00:00.000Z', idempotencyKey }] },
    })
    assert.equal(response.json().results[0].result, 'accepted')
    assert.ok(!response.body.includes(idempotencyKey))
  })

  test('a ticket checked in twice on one device while offline is a conflict on the second', async (t) => {
    const { api } = await buildTestApp(t)
    const batch = await completedBatch(api, { quantity: 50 })
    const token = await batch.token(9)
    const result = await sync(api, 'device-a', [
      { token, checkedInAt: '2026-11-29T19:00:00.000Z' },
      { token, checkedInAt: '2026-11-29T19:40:00.000Z' },
    ])
    assert.deepEqual(
      result.results.map((r: { result: string }) => r.result),
      ['accepted', 'conflict'],
    )
    assert.equal(result.results[1].firstDeviceId, 'device-a')
    assert.ok(Math.abs(Date.parse(result.serverTime) - Date.now()) < 60_000)
  })

  test('the largest sync the schema admits (1,000 check-ins, 512-character tokens, 64-character keys) is within the body limit', async (t) => {
    const { api } = await buildTestApp(t)
    const checkins = Array.from({ length: 1_000 }, (_, i) => ({
      token: 'A'.repeat(512),
      checkedInAt: '2026-11-29T19:00:00.000Z',
      idempotencyKey: `${i}`.padStart(64, 'k'),
    }))
    const result = await sync(api, 'd'.repeat(64), checkins)
    assert.equal(result.results.length, 1_000)
    assert.ok(result.results.every((r: { result: string }) => r.result === 'invalid'))
  })

  test('more than 1,000 check-ins in one sync, or none, is 400 INVALID_REQUEST', async (t) => {
    const { api } = await buildTestApp(t)
    const batch = await completedBatch(api, { quantity: 50 })
    const item = { token: await batch.token(0), checkedInAt: '2026-11-29T19:00:00.000Z' }
    for (const checkins of [Array.from({ length: 1001 }, () => item), []]) {
      const response = await api.inject({ method: 'POST', url: '/api/checkins/sync', payload: { deviceId: 'd', checkins } })
      assert.equal(response.statusCode, 400)
      assert.equal(errorOf(response).code, 'INVALID_REQUEST')
    }
  })
})

describe('GET /api/checkin-kit/batches', () => {
  test("lists every account's completed batches, newest first, to any signed-in account; open and cancelled ones are not there", async (t) => {
    const { app, api } = await buildTestApp(t)
    const older = await completedBatch(api, { quantity: 50 })
    const newer = await completedBatch(api, { quantity: 50, ticketType: 'VIP' })
    const open = await makeTestBatch({ quantity: 50 })
    await createBatch(api, open.body)
    await addTestAccount(app, 'gate')
    const gate = (await signIn(app, 'gate')).api
    // The gate account sees none of these in its own batch list, and all completed ones here.
    assert.deepEqual((await gate.inject({ method: 'GET', url: '/api/batches' })).json().batches, [])
    const response = await gate.inject({ method: 'GET', url: '/api/checkin-kit/batches' })
    assert.equal(response.statusCode, 200, response.body)
    const { batches } = response.json()
    assert.deepEqual(
      batches.map((batch: { id: string }) => batch.id),
      [newer.id, older.id],
    )
    // What check-in needs to name a batch, and no price, quantity, key or creator.
    assert.deepEqual(Object.keys(batches[0]).sort(), ['event', 'eventId', 'finishedAt', 'id', 'ticketType'])
    assert.deepEqual((await gate.inject({ method: 'GET', url: '/api/checkin-kit/batches?limit=1' })).json().batches.length, 1)
    assert.equal((await gate.inject({ method: 'GET', url: '/api/checkin-kit/batches?limit=0' })).statusCode, 400)
    assert.equal((await clientOf(app).inject({ method: 'GET', url: '/api/checkin-kit/batches' })).statusCode, 401)
  })
})

describe('GET /api/checkin-kit', () => {
  test('holds what a scanner needs offline: key, batch facts, revoked serials as ranges, revoked batches, server time', async (t) => {
    const { app, api } = await buildTestApp(t)
    const batch = await completedBatch(api, { quantity: 50 })
    const revoked = await completedBatch(api, { quantity: 50, ticketType: 'VIP' })
    for (const serial of [9, 3, 4, 5]) await revokeTicket(api, batch.id, serial)
    await api.inject({ method: 'POST', url: `/api/batches/${revoked.id}/revoke`, payload: { reason: 'event moved' } })

    // Gate staff fetch kits of batches they did not create.
    await addTestAccount(app, 'gate')
    const gate = (await signIn(app, 'gate')).api
    const response = await gate.inject({ method: 'GET', url: `/api/checkin-kit?eventId=${batch.type.eventId}` })
    assert.equal(response.statusCode, 200, response.body)
    const kit = response.json()
    assert.ok(Math.abs(Date.parse(kit.serverTime) - Date.now()) < 60_000)
    assert.deepEqual(kit.revokedBatches, [revoked.id])
    assert.deepEqual(kit.event, { id: batch.type.eventId, name: 'Spring Gala 2026' })
    assert.deepEqual(kit.otherBatches, [])
    // Newest first.
    kit.batches.reverse()
    assert.deepEqual(kit.batches[0], {
      id: batch.id,
      eventId: batch.type.eventId,
      ticketTypeId: batch.type.ticketTypeId,
      event: 'Spring Gala 2026',
      ticketType: 'General admission',
      price: { amountMinor: 4500, currency: 'EUR' },
      quantity: 50,
      publicKey: batch.body.publicKey,
      state: 'completed',
      revoked: false,
      revokedAt: null,
      revokedSerials: [
        [3, 5],
        [9, 9],
      ],
    })
    assert.equal(kit.batches[1].revoked, true)
    assert.equal(typeof kit.batches[1].revokedAt, 'string')
    // The key in the kit verifies tickets with no server at all.
    const publicKey = await importPublicKey(kit.batches[0].publicKey)
    assert.equal((await verifyToken(await batch.token(0), { batchId: batch.id, publicKey })).ok, true)
    assert.equal((await verifyToken(tamperToken(await batch.token(0)), { batchId: batch.id, publicKey })).ok, false)
  })

  test("only the event's completed batches; an unknown event is 404, a malformed id 400", async (t) => {
    const { api } = await buildTestApp(t)
    const batch = await completedBatch(api, { quantity: 50 })
    const open = await makeTestBatch({ quantity: 100 })
    await createWithChunks(api, open, [0])
    const kit = (await api.inject({ method: 'GET', url: `/api/checkin-kit?eventId=${batch.type.eventId}` })).json()
    assert.deepEqual(
      kit.batches.map((listed: { id: string }) => listed.id),
      [batch.id],
    )
    const cases: [string, number, string][] = [
      [`eventId=${crypto.randomUUID()}`, 404, 'EVENT_NOT_FOUND'],
      [`eventId=${batch.type.eventId.toUpperCase()}`, 400, 'INVALID_REQUEST'],
      ['eventId=', 400, 'INVALID_REQUEST'],
      [`batchIds=${batch.id}`, 400, 'INVALID_REQUEST'],
    ]
    for (const [query, status, code] of cases) {
      const response = await api.inject({ method: 'GET', url: `/api/checkin-kit?${query}` })
      assert.equal(response.statusCode, status, query)
      assert.equal(errorOf(response).code, code, query)
    }
  })
})

describe('revoking tickets and batches', () => {
  test('revoking is idempotent: 201 the first time, then 200 with the first revocation', async (t) => {
    const { api } = await buildTestApp(t)
    const batch = await completedBatch(api, { quantity: 50 })
    const first = await revokeTicket(api, batch.id, 7, 'lost')
    assert.equal(first.statusCode, 201)
    assert.deepEqual(
      { ...(first.json() as object), revokedAt: 'x' },
      { batchId: batch.id, serial: 7, revokedAt: 'x', reason: 'lost', revokedBy: 'staff' },
    )
    const again = await revokeTicket(api, batch.id, 7, 'stolen')
    assert.equal(again.statusCode, 200)
    assert.deepEqual(again.json(), first.json())
    const whole = await api.inject({ method: 'POST', url: `/api/batches/${batch.id}/revoke`, payload: {} })
    assert.equal(whole.statusCode, 201)
    assert.equal(whole.json().serial, null)
  })

  test('the creator and admins may revoke; another staff account gets 404, as on every batch route', async (t) => {
    const { app, api } = await buildTestApp(t)
    await addTestAccount(app, 'other')
    await addTestAccount(app, 'boss', 'admin')
    const batch = await completedBatch(api, { quantity: 50 })
    const other = (await signIn(app, 'other')).api
    for (const response of [
      await revokeTicket(other, batch.id, 1),
      await other.inject({ method: 'POST', url: `/api/batches/${batch.id}/revoke`, payload: {} }),
    ]) {
      assert.equal(response.statusCode, 404)
      assert.equal(errorOf(response).code, 'BATCH_NOT_FOUND')
    }
    const admin = (await signIn(app, 'boss')).api
    const byAdmin = await revokeTicket(admin, batch.id, 1)
    assert.equal(byAdmin.statusCode, 201)
    assert.equal(byAdmin.json().revokedBy, 'boss')
  })

  test('a serial beyond the batch is 404 TICKET_NOT_FOUND; a batch not completed is 409 BATCH_NOT_COMPLETED', async (t) => {
    const { api } = await buildTestApp(t)
    const batch = await completedBatch(api, { quantity: 50 })
    const outside = await revokeTicket(api, batch.id, 50)
    assert.equal(outside.statusCode, 404)
    assert.equal(errorOf(outside).code, 'TICKET_NOT_FOUND')
    const open = await makeTestBatch({ quantity: 100 })
    await createWithChunks(api, open, [0])
    const notCompleted = await revokeTicket(api, open.id, 0)
    assert.equal(notCompleted.statusCode, 409)
    assert.equal(errorOf(notCompleted).code, 'BATCH_NOT_COMPLETED')
  })
})
