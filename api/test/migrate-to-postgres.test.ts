// Moving a site from SQLite to PostgreSQL with the real command line: everything comes across
// (batches, tickets, chunks, accounts, sessions, check-ins, revocations, devices, the audit log), the server on the new
// database answers as the old one did, a non-empty target is refused, and a move that failed half
// way leaves the target empty so that it can be run again.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { test } from 'node:test'
import Database from 'better-sqlite3'
import { createTestDatabase } from '@boxoffice/testkit/test-database'
import { runAuditVerify } from '../src/cli/audit-command.ts'
import { POSTGRES_DEFAULTS } from '../src/config.ts'
import type { PostgresConfig, SqliteConfig } from '../src/db/storage.ts'
import { completedBatch } from './completed-batch.ts'
import {
  addTestAccount,
  clientOf,
  createWithChunks,
  databaseSnapshot,
  getStatus,
  inspect,
  makeTestBatch,
  openApp,
  signIn,
  testDatabase,
} from './helper.ts'

const CLI = resolve(import.meta.dirname, '../src/cli.ts')

function migrate(from: string, to: string) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'migrate-to-postgres', '--from', from, '--to', to], {
    encoding: 'utf8',
  })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

const checkIn = (api: ReturnType<typeof clientOf>, token: string, deviceId: string) =>
  api.inject({ method: 'POST', url: '/api/checkins', payload: { token, deviceId } }).then((response) => response.json())

test('a SQLite site moves to PostgreSQL whole: same batches, tickets, sessions, check-ins and revocations, verified on both sides', async (t) => {
  const sqlite = (await testDatabase(t, 'sqlite')) as SqliteConfig
  const app = await openApp(t, sqlite)
  await addTestAccount(app, 'alice', 'admin')
  await addTestAccount(app, 'bob')
  const alice = await signIn(app, 'alice')
  const completed = await completedBatch(alice.api, { quantity: 120 })
  const open = await makeTestBatch({ quantity: 200 })
  await createWithChunks(alice.api, open, [0, 2])
  const cancelled = await makeTestBatch({ quantity: 60 })
  await createWithChunks(alice.api, cancelled, [1])
  await alice.api.inject({ method: 'POST', url: `/api/batches/${cancelled.id}/cancel` })
  assert.equal((await checkIn(alice.api, await completed.token(5), 'gate-1')).result, 'valid')
  await alice.api.inject({ method: 'POST', url: `/api/batches/${completed.id}/tickets/9/revoke`, payload: { reason: 'refunded' } })
  // A gate device, revoked, whose late sync was kept for review.
  const registered = (await alice.api.inject({ method: 'POST', url: '/api/devices', payload: { name: 'Old gate' } })).json()
  await alice.api.inject({ method: 'POST', url: `/api/devices/${registered.device.id}/revoke`, payload: {} })
  const late = await clientOf(app).inject({
    method: 'POST',
    url: '/api/checkins/sync',
    headers: { authorization: `Device ${registered.key}` },
    payload: { deviceId: 'x', checkins: [{ token: await completed.token(20), checkedInAt: '2026-12-03T18:00:00.000Z' }] },
  })
  assert.equal(late.statusCode, 403, late.body)
  const statuses = await Promise.all([completed.id, open.id, cancelled.id].map((id) => getStatus(alice.api, id)))
  const before = await databaseSnapshot(sqlite)
  await app.close()

  const target = await createTestDatabase()
  t.after(() => target.drop())
  const moved = migrate(sqlite.path, target.url)
  assert.equal(moved.code, 0, moved.stderr)
  assert.match(
    moved.stdout,
    /^copying 2 accounts, 1 sessions, 1 events, 1 ticket_types, 3 batches, 6 chunks, 230 tickets, 1 checkins, 1 checkin_counts, 1 revocations, 1 devices, 1 refused_checkins, 10 audit_log…$/m,
  )
  assert.match(moved.stdout, /verified: every row count equal, 6 chunk digests equal on both sides and matching their tickets/)

  const postgres: PostgresConfig = { backend: 'postgres', url: target.url, ...POSTGRES_DEFAULTS }
  assert.deepEqual(await databaseSnapshot(postgres), before)
  const server = await openApp(t, postgres)
  // The session signed in on SQLite still works.
  const same = clientOf(server, alice.token)
  assert.deepEqual(await Promise.all([completed.id, open.id, cancelled.id].map((id) => getStatus(same, id))), statuses)
  const again = await checkIn(same, await completed.token(5), 'gate-2')
  assert.deepEqual([again.result, again.deviceId], ['already-checked-in', 'gate-1'])
  assert.equal((await checkIn(same, await completed.token(9), 'gate-2')).reason, 'REVOKED')
  assert.equal((await checkIn(same, await completed.token(10), 'gate-2')).result, 'valid')
  // The device, what it sent after its revocation, and the audit log with its chain intact.
  const [device] = (await same.inject({ method: 'GET', url: '/api/devices' })).json().devices
  assert.deepEqual([device.name, device.refusedCheckins, typeof device.revokedAt], ['Old gate', 1, 'string'])
  const { storage } = await inspect(t, postgres)
  const said: string[] = []
  assert.equal(await runAuditVerify(storage.audit, (text) => said.push(text)), true, said.join())
  assert.deepEqual(said, ['audit log intact: 10 entries, 1–10'])
  // Ids continue after the copied ones.
  const carol = await addTestAccount(server, 'carol')
  assert.equal(carol.id, 3)
  const exported = await same.inject({ method: 'GET', url: `/api/batches/${completed.id}/tickets.csv` })
  assert.equal(exported.statusCode, 200)
  assert.equal(exported.body.trim().split('\n').length, 121)

  const refused = migrate(sqlite.path, target.url)
  assert.equal(refused.code, 1)
  assert.match(
    refused.stderr,
    /^boxoffice: the target database is not empty \(3 accounts, \d+ sessions, 1 events, 1 ticket_types, 3 batches, 6 chunks, 230 tickets, 2 checkins, 1 checkin_counts, 1 revocations, 1 devices, 1 refused_checkins, \d+ audit_log\): give an empty database; nothing was copied\n$/,
  )
})

test('a move that fails half way leaves the target empty, and runs again once the cause is fixed', async (t) => {
  const sqlite = (await testDatabase(t, 'sqlite')) as SqliteConfig
  const app = await openApp(t, sqlite)
  const { api } = await signIn(app, (await addTestAccount(app, 'alice')).username)
  await completedBatch(api, { quantity: 100 })
  await app.close()
  // A value PostgreSQL cannot take as a time, written by hand into the file.
  const file = new Database(sqlite.path)
  file.prepare("UPDATE batches SET finished_at = 'yesterday-ish'").run()

  const target = await createTestDatabase()
  t.after(() => target.drop())
  const failed = migrate(sqlite.path, target.url)
  assert.equal(failed.code, 1, failed.stdout)
  const postgres: PostgresConfig = { backend: 'postgres', url: target.url, ...POSTGRES_DEFAULTS }
  const empty = await inspect(t, postgres)
  for (const table of ['batches', 'tickets', 'sessions'] as const) assert.equal(await empty.countRows(table), 0, table)

  file.prepare("UPDATE batches SET finished_at = '2026-12-01T10:00:00.000Z'").run()
  file.close()
  const moved = migrate(sqlite.path, target.url)
  assert.equal(moved.code, 0, moved.stderr)
  assert.equal(await empty.countRows('tickets'), 100)
})

test('the command line says what it needs', () => {
  const missing = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'migrate-to-postgres', '--from', 'x.db'], { encoding: 'utf8' })
  assert.equal(missing.status, 2)
  assert.match(missing.stderr, /^boxoffice: migrate-to-postgres needs --to, a PostgreSQL URL/)
  const notMigrated = spawnSync(
    process.execPath,
    ['--import', 'tsx', CLI, 'migrate-to-postgres', '--from', '/nonexistent/boxoffice.db', '--to', 'postgres://127.0.0.1:1/x'],
    { encoding: 'utf8' },
  )
  assert.equal(notMigrated.status, 1)
  assert.match(notMigrated.stderr, /unable to open database file|does not exist/)
})
