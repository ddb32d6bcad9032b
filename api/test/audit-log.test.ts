// The audit log: one entry per action (not per ticket), with who did it, and a hash chain that
// `boxoffice audit verify` checks, finding an entry changed past the API.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { test } from 'node:test'
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '@boxoffice/tickets'
import { databaseEnv } from '@boxoffice/testkit/api-process'
import { testEventBody } from '@boxoffice/testkit/test-events'
import { runAuditVerify } from '../src/cli/audit-command.ts'
import { completedBatch } from './completed-batch.ts'
import {
  addTestAccount,
  clientOf,
  createBatch,
  errorOf,
  inspect,
  makeTestBatch,
  openApp,
  signIn,
  testDatabase,
  type Client,
} from './helper.ts'

const CLI = resolve(import.meta.dirname, '../src/cli.ts')

interface Entry {
  seq: number
  actor: string | null
  action: string
  subject: string | null
  device: string | null
  ip: string | null
  detail: Record<string, unknown>
}

async function auditOf(admin: Client, query = ''): Promise<Entry[]> {
  const response = await admin.inject({ method: 'GET', url: `/api/audit?limit=500${query}` })
  assert.equal(response.statusCode, 200, response.body)
  return response.json().entries
}

test('each action is recorded exactly once, with the account or device that did it; a large batch is one entry', async (t) => {
  const database = await testDatabase(t)
  const app = await openApp(t, database)
  await addTestAccount(app, 'boss', 'admin')
  await addTestAccount(app, 'sam', 'staff')
  const { api: admin } = await signIn(app, 'boss')
  const { api: sam } = await signIn(app, 'sam')
  const send = async (api: Client, method: 'POST' | 'PUT' | 'PATCH' | 'GET', url: string, payload?: object) => {
    const response = await api.inject({ method, url, ...(payload ? { payload } : {}) })
    assert.ok(response.statusCode < 300, `${method} ${url}: ${response.statusCode} ${response.body}`)
    return response
  }

  const wrong = await clientOf(app).inject({
    method: 'POST',
    url: '/api/session',
    payload: { username: 'sam', password: 'not his password' },
  })
  assert.equal(wrong.statusCode, 401)
  await send(admin, 'POST', '/api/accounts', { username: 'gina', role: 'staff', temporaryPassword: 'temporary 1' })
  await send(admin, 'PATCH', '/api/accounts/gina', { role: 'gate' })
  await send(admin, 'PATCH', '/api/accounts/gina', { disabled: true })
  await send(admin, 'PATCH', '/api/accounts/gina', { disabled: false })
  await send(admin, 'PUT', '/api/accounts/gina/password', { temporaryPassword: 'temporary 2' })
  const { api: gina } = await signIn(app, 'gina', 'temporary 2')
  await send(gina, 'PUT', '/api/session/password', { currentPassword: 'temporary 2', newPassword: 'gina own secret' })

  const event = testEventBody('Audit night', {
    ticketTypes: [{ id: crypto.randomUUID(), name: 'Floor', price: { amountMinor: 1000, currency: 'EUR' }, capacity: 500 }],
  })
  await send(sam, 'POST', '/api/events', event)
  await send(sam, 'PUT', `/api/events/${event.id}/ticket-types/${event.ticketTypes[0]!.id}`, {
    ...event.ticketTypes[0],
    id: undefined,
    capacity: 400,
  })

  const batch = await completedBatch(sam, { quantity: 120 })
  await send(sam, 'POST', `/api/batches/${batch.id}/complete`) // a retry: no second entry
  const cancelled = await makeTestBatch({ quantity: 10 })
  assert.equal((await createBatch(sam, cancelled.body)).statusCode, 201)
  await send(sam, 'POST', `/api/batches/${cancelled.id}/cancel`)
  await send(sam, 'POST', `/api/batches/${cancelled.id}/cancel`)
  await send(sam, 'GET', `/api/batches/${batch.id}/tickets.csv`)
  await send(sam, 'POST', `/api/batches/${batch.id}/tickets/5/revoke`, { reason: 'refunded' })
  await send(sam, 'POST', `/api/batches/${batch.id}/tickets/5/revoke`, { reason: 'refunded' })
  const other = await completedBatch(sam, { quantity: 50 })
  await send(sam, 'POST', `/api/batches/${other.id}/revoke`, { reason: 'event moved' })

  const registered = await send(admin, 'POST', '/api/devices', { name: 'East gate' })
  const { device, key } = registered.json()
  const gate: Client = {
    inject: (options) => app.inject({ ...options, headers: { [CSRF_HEADER]: CSRF_HEADER_VALUE, authorization: `Device ${key}` } }),
  }
  const checkins = [0, 1, 5].map(async (serial) => ({ token: await batch.token(serial), checkedInAt: new Date().toISOString() }))
  await send(gate, 'POST', '/api/checkins/sync', { deviceId: 'east', checkins: await Promise.all(checkins) })
  await send(admin, 'POST', `/api/devices/${device.id}/revoke`, {})
  const late = await gate.inject({
    method: 'POST',
    url: '/api/checkins/sync',
    payload: { deviceId: 'east', checkins: [{ token: await batch.token(9), checkedInAt: new Date().toISOString() }] },
  })
  assert.equal(errorOf(late).code, 'DEVICE_REVOKED')

  const entries = await auditOf(admin)
  assert.deepEqual(entries.map((entry) => `${entry.action} by ${entry.actor}`).sort(), [
    'account.created by boss',
    'account.disabled by boss',
    'account.enabled by boss',
    'account.role_changed by boss',
    'account.temporary_password by boss',
    'batch.cancelled by sam',
    'batch.completed by sam',
    'batch.completed by sam',
    'batch.created by sam',
    'batch.created by sam',
    'batch.created by sam',
    'batch.revoked by sam',
    'checkin.synced by device:East gate',
    'device.registered by boss',
    'device.revoked by boss',
    'device.sync_refused by device:East gate',
    'event.changed by sam',
    'event.created by sam',
    'export.downloaded by sam',
    'session.password_changed by gina',
    'session.sign_in_failed by null',
    'session.signed_in by boss',
    'session.signed_in by gina',
    'session.signed_in by sam',
    'ticket.revoked by sam',
  ])
  const find = (action: string) => entries.find((entry) => entry.action === action)!
  assert.equal(find('session.sign_in_failed').subject, 'sam')
  assert.equal(find('checkin.synced').device, 'East gate')
  assert.deepEqual(
    [find('checkin.synced').detail.sent, find('checkin.synced').detail.accepted, find('checkin.synced').detail.invalid],
    [3, 2, 1],
    'the sync is one entry with its counts (ticket 5 was revoked)',
  )
  assert.deepEqual([find('event.changed').detail.previousCapacity, find('event.changed').detail.capacity], [500, 400])
  assert.equal(find('ticket.revoked').detail.reason, 'refunded')
  assert.ok(entries.every((entry) => entry.ip === '127.0.0.1'))
  assert.deepEqual(
    entries.map((entry) => entry.seq),
    [...entries.map((entry) => entry.seq)].sort((a, b) => b - a),
    'newest first',
  )

  // Filters: who, what (an action or a kind of action), when; and paging.
  assert.deepEqual(
    (await auditOf(admin, '&actor=boss&action=account.')).map((entry) => entry.action),
    ['account.temporary_password', 'account.enabled', 'account.disabled', 'account.role_changed', 'account.created'],
  )
  assert.deepEqual(await auditOf(admin, '&from=2000-01-01&to=2000-01-02'), [])
  const page = await admin.inject({ method: 'GET', url: '/api/audit?limit=10' })
  const next = await admin.inject({ method: 'GET', url: `/api/audit?limit=10&before=${page.json().nextBefore}` })
  assert.deepEqual([...page.json().entries, ...next.json().entries], entries.slice(0, 20))
  const badTime = await admin.inject({ method: 'GET', url: '/api/audit?from=yesterday' })
  assert.equal(badTime.statusCode, 400)
  assert.match(errorOf(badTime).message, /querystring\/from "yesterday" is not a date/)
  const csv = await admin.inject({ method: 'GET', url: '/api/audit.csv?action=batch.' })
  assert.equal(csv.statusCode, 200)
  assert.match(csv.headers['content-disposition'] as string, /boxoffice-audit\.csv/)
  const lines = csv.body.trim().split('\r\n')
  assert.equal(lines[0], 'seq,at,actor,ip,device,action,subject,detail,hash')
  assert.equal(lines.length, 1 + 7, 'a header and the seven batch entries')
  // Staff may not read it.
  assert.equal(errorOf(await sam.inject({ method: 'GET', url: '/api/audit' })).code, 'ROLE_FORBIDDEN')

  const { storage } = await inspect(t, database)
  const said: string[] = []
  assert.equal(await runAuditVerify(storage.audit, (text) => said.push(text)), true)
  assert.match(said[0]!, new RegExp(`^audit log intact: ${entries.length} entries, 1–${entries.length}$`))
})

test('audit verify finds an entry changed past the API, and says which', async (t) => {
  const database = await testDatabase(t)
  const app = await openApp(t, database)
  await addTestAccount(app, 'boss', 'admin')
  const { api: admin } = await signIn(app, 'boss')
  for (const name of ['Gate A', 'Gate B', 'Gate C']) {
    assert.equal((await admin.inject({ method: 'POST', url: '/api/devices', payload: { name } })).statusCode, 201)
  }
  const boxoffice = () =>
    spawnSync(process.execPath, ['--import', 'tsx', CLI, 'audit', 'verify'], {
      env: { ...process.env, ...databaseEnv(database) },
      encoding: 'utf8',
    })
  const intact = boxoffice()
  assert.deepEqual([intact.status, intact.stdout], [0, 'audit log intact: 4 entries, 1–4\n'])

  const inspection = await inspect(t, database)
  await inspection.tamperAuditEntry(3, 'Gate Z')
  const broken = boxoffice()
  assert.equal(broken.status, 1)
  assert.match(broken.stdout, /^audit log BROKEN at entry 3: .+ \(2 entries before it check out\)\n$/)
})
