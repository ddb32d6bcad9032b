// Gate devices: registered by an admin, signed in with a key rather than a person's password,
// revocable at once; what a revoked device syncs later is kept for review, never admitted.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { CSRF_HEADER, CSRF_HEADER_VALUE, formatTicketNumber } from '@boxoffice/tickets'
import { completedBatch } from './completed-batch.ts'
import { addTestAccount, errorOf, inspect, openApp, signIn, testDatabase, type App, type Client } from './helper.ts'

/** The API as a gate device calls it: its key in the Authorization header, no cookie. */
function deviceClient(app: App, key: string): Client {
  return {
    inject: (options) =>
      app.inject({ ...options, headers: { [CSRF_HEADER]: CSRF_HEADER_VALUE, authorization: `Device ${key}`, ...options.headers } }),
  }
}

async function setUp(t: Parameters<typeof openApp>[0]) {
  const database = await testDatabase(t)
  const app = await openApp(t, database)
  await addTestAccount(app, 'boss', 'admin')
  await addTestAccount(app, 'sam', 'staff')
  const { api: admin } = await signIn(app, 'boss')
  const { api: sam } = await signIn(app, 'sam')
  return { app, database, admin, sam }
}

async function register(admin: Client, name: string) {
  const response = await admin.inject({ method: 'POST', url: '/api/devices', payload: { name } })
  assert.equal(response.statusCode, 201, response.body)
  return response.json() as { device: { id: string; name: string }; key: string }
}

test('an admin registers a gate device; its key checks tickets in and opens nothing else', async (t) => {
  const { app, admin, sam } = await setUp(t)
  const batch = await completedBatch(sam, { quantity: 50 })

  const { device, key } = await register(admin, '  North   gate 1 ')
  assert.equal(device.name, 'North gate 1', 'spaces are tidied')
  assert.match(key, /^[A-Za-z0-9_-]{43}$/)
  const listed = await admin.inject({ method: 'GET', url: '/api/devices' })
  assert.deepEqual(
    listed.json().devices.map((d: Record<string, unknown>) => [d.name, d.createdBy, d.revokedAt, d.lastSyncAt, d.refusedCheckins]),
    [['North gate 1', 'boss', null, null, 0]],
  )
  assert.ok(!listed.body.includes(key), 'the key is shown once, at registration')
  const again = await admin.inject({ method: 'POST', url: '/api/devices', payload: { name: 'north gate 1' } })
  assert.equal(again.statusCode, 409)
  assert.equal(errorOf(again).code, 'DEVICE_CONFLICT')
  const blank = await admin.inject({ method: 'POST', url: '/api/devices', payload: { name: '   ' } })
  assert.equal(blank.statusCode, 400)
  assert.match(errorOf(blank).message, /body\/name/)
  // Staff may not register devices.
  assert.equal(errorOf(await sam.inject({ method: 'POST', url: '/api/devices', payload: { name: 'mine' } })).code, 'ROLE_FORBIDDEN')

  const gate = deviceClient(app, key)
  assert.deepEqual((await gate.inject({ method: 'GET', url: '/api/session' })).json(), {
    username: 'device:North gate 1',
    role: 'gate',
    mustChangePassword: false,
    device: 'North gate 1',
  })
  assert.equal((await gate.inject({ method: 'GET', url: '/api/checkin-kit/events' })).statusCode, 200)
  const scan = await gate.inject({ method: 'POST', url: '/api/checkins', payload: { token: await batch.token(1), deviceId: 'spoofed' } })
  assert.equal(scan.json().result, 'valid', scan.body)
  const repeat = await sam.inject({ method: 'POST', url: '/api/checkins', payload: { token: await batch.token(1) } })
  assert.equal(repeat.json().deviceId, 'North gate 1', 'the registered name, not what the device says it is')
  const synced = await gate.inject({
    method: 'POST',
    url: '/api/checkins/sync',
    payload: { deviceId: 'x', checkins: [{ token: await batch.token(2), checkedInAt: new Date().toISOString() }] },
  })
  assert.equal(synced.json().results[0].result, 'accepted', synced.body)
  const [afterSync] = (await admin.inject({ method: 'GET', url: '/api/devices' })).json().devices
  assert.ok(Date.now() - Date.parse(afterSync.lastSyncAt) < 60_000, 'the last sync is shown')

  for (const url of ['/api/batches', '/api/devices', `/api/batches/${batch.id}/tickets.csv`]) {
    assert.equal(errorOf(await gate.inject({ method: 'GET', url })).code, 'ROLE_FORBIDDEN', url)
  }
  const password = await gate.inject({
    method: 'PUT',
    url: '/api/session/password',
    payload: { currentPassword: 'x', newPassword: 'yyyyyyyy' },
  })
  assert.equal(errorOf(password).code, 'ROLE_FORBIDDEN')

  const unknown = deviceClient(app, 'A'.repeat(43))
  const refused = await unknown.inject({ method: 'GET', url: '/api/checkin-kit/events' })
  assert.equal(refused.statusCode, 401)
  assert.equal(errorOf(refused).code, 'DEVICE_UNKNOWN')
  assert.equal(errorOf(await deviceClient(app, 'not a key').inject({ method: 'GET', url: '/api/session' })).code, 'DEVICE_UNKNOWN')
})

test('a revoked device is refused at once; the check-ins it syncs later are kept for review, not admitted, and not twice', async (t) => {
  const { app, database, admin, sam } = await setUp(t)
  const batch = await completedBatch(sam, { quantity: 50 })
  const { device, key } = await register(admin, 'Lost scanner')
  const gate = deviceClient(app, key)
  assert.equal((await gate.inject({ method: 'GET', url: '/api/checkin-kit/events' })).statusCode, 200)

  // Offline, the device checks two tickets in; meanwhile an admin revokes it.
  const offline = [
    { token: await batch.token(3), checkedInAt: '2026-12-03T18:01:00.000Z' },
    { token: await batch.token(4), checkedInAt: '2026-12-03T18:02:00.000Z' },
  ]
  const revoked = await admin.inject({ method: 'POST', url: `/api/devices/${device.id}/revoke`, payload: {} })
  assert.equal(revoked.statusCode, 200, revoked.body)
  assert.equal(revoked.json().revokedBy, 'boss')
  const kit = await gate.inject({ method: 'GET', url: '/api/checkin-kit/events' })
  assert.equal(kit.statusCode, 403)
  assert.equal(errorOf(kit).code, 'DEVICE_REVOKED')
  assert.match(errorOf(kit).message, /"Lost scanner" was revoked/)

  for (let attempt = 0; attempt < 2; attempt++) {
    const sync = await gate.inject({ method: 'POST', url: '/api/checkins/sync', payload: { deviceId: 'x', checkins: offline } })
    assert.equal(sync.statusCode, 403)
    assert.equal(errorOf(sync).code, 'DEVICE_REVOKED')
    assert.match(errorOf(sync).message, /2 check-ins not accepted, kept for an admin to review/)
  }
  const inspection = await inspect(t, database)
  assert.deepEqual(await inspection.checkins(batch.id), [], 'nothing was admitted')
  const review = await admin.inject({ method: 'GET', url: '/api/devices/refused-checkins' })
  assert.deepEqual(
    review.json().checkins.map((c: Record<string, unknown>) => [c.deviceName, c.ticketNumber, c.event, c.checkedInAt]),
    [
      ['Lost scanner', formatTicketNumber(batch.id, 4), 'Spring Gala 2026', '2026-12-03T18:02:00.000Z'],
      ['Lost scanner', formatTicketNumber(batch.id, 3), 'Spring Gala 2026', '2026-12-03T18:01:00.000Z'],
    ],
    'each refused check-in once, however often the device retries',
  )
  const [listed] = (await admin.inject({ method: 'GET', url: '/api/devices' })).json().devices
  assert.equal(listed.refusedCheckins, 2)
  // The tickets are still good for a scanner that is trusted.
  const scan = await sam.inject({ method: 'POST', url: '/api/checkins', payload: { token: await batch.token(3) } })
  assert.equal(scan.json().result, 'valid')

  const twice = await admin.inject({ method: 'POST', url: `/api/devices/${device.id}/revoke`, payload: {} })
  assert.equal(twice.statusCode, 200, 'revoking again changes nothing')
  assert.equal(twice.json().revokedAt, revoked.json().revokedAt)
  const missing = await admin.inject({ method: 'POST', url: `/api/devices/${crypto.randomUUID()}/revoke`, payload: {} })
  assert.equal(missing.statusCode, 404)
  assert.equal(errorOf(missing).code, 'DEVICE_NOT_FOUND')
})
