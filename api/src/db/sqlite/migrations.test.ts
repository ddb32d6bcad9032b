import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import Database from 'better-sqlite3'
import { tempDir } from '../../../test/temp-dir.ts'
import { latestVersion, migrate, MIGRATIONS, schemaVersion, type Migration } from './migrations.ts'
import { openSqlite } from './open-sqlite.ts'

test('migration versions run 1, 2, 3, … without gaps', () => {
  assert.deepEqual(
    MIGRATIONS.map((migration) => migration.version),
    MIGRATIONS.map((_, position) => position + 1),
  )
})

test('a fresh database is migrated to the latest version with every table', (t) => {
  const db = openSqlite(join(tempDir(t), 'fresh.db'))
  t.after(() => db.close())
  assert.equal(schemaVersion(db), latestVersion())
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all()
  assert.deepEqual(tables, [
    'accounts',
    'audit_log',
    'batches',
    'checkin_counts',
    'checkins',
    'chunks',
    'devices',
    'events',
    'login_attempts',
    'refused_checkins',
    'revocations',
    'sessions',
    'ticket_types',
    'tickets',
  ])
})

test('version 2 keeps the batches of a version 1 database, with no creator, and adds accounts and sessions', (t) => {
  const path = join(tempDir(t), 'v1.db')
  const v1 = new Database(path)
  migrate(v1, MIGRATIONS.slice(0, 1))
  v1.prepare(
    "INSERT INTO batches (id, event, ticket_type, price_minor, currency, quantity, public_key, created_at) VALUES ('b', 'e', 't', 1, 'EUR', 1, 'k', 'now')",
  ).run()
  v1.close()
  const db = openSqlite(path)
  t.after(() => db.close())
  assert.equal(schemaVersion(db), latestVersion())
  assert.deepEqual(db.prepare('SELECT id, created_by FROM batches').all(), [{ id: 'b', created_by: null }])
  assert.equal(db.prepare('SELECT count(*) FROM accounts').pluck().get(), 0)
  assert.throws(
    () => db.prepare("INSERT INTO accounts (username, password_hash, role, created_at) VALUES ('Alice', 'h', 'staff', 'now')").run(),
    /CHECK constraint failed/,
    'usernames are stored in lower case',
  )
})

test('version 3: a ticket is checked in once, and each ticket and each whole batch is revoked once', (t) => {
  const db = openSqlite(join(tempDir(t), 'v3.db'))
  t.after(() => db.close())
  db.prepare(
    "INSERT INTO batches (id, event, ticket_type, price_minor, currency, quantity, public_key, created_at) VALUES ('b', 'e', 't', 1, 'EUR', 2, 'k', 'now')",
  ).run()
  db.prepare("INSERT INTO tickets (batch_id, serial, token) VALUES ('b', 0, 'A'), ('b', 1, 'B')").run()
  const checkIn = db.prepare(
    "INSERT INTO checkins (batch_id, serial, checked_in_at, recorded_at) VALUES ('b', ?, 'now', 'now') ON CONFLICT DO NOTHING",
  )
  assert.equal(checkIn.run(0).changes, 1)
  assert.equal(checkIn.run(0).changes, 0)
  assert.throws(() => checkIn.run(7), /FOREIGN KEY constraint failed/, 'only a ticket the server holds can be checked in')
  const revoke = db.prepare("INSERT INTO revocations (batch_id, serial, revoked_at) VALUES ('b', ?, 'now') ON CONFLICT DO NOTHING")
  assert.equal(revoke.run(1).changes, 1)
  assert.equal(revoke.run(1).changes, 0)
  assert.equal(revoke.run(null).changes, 1, 'the whole batch')
  assert.equal(revoke.run(null).changes, 0, 'the whole batch, again')
  assert.equal(db.prepare('SELECT count(*) FROM revocations').pluck().get(), 2)
})

test('version 5 keeps the check-ins of a version 4 database, valid and with no idempotency key', (t) => {
  const path = join(tempDir(t), 'v4.db')
  const v4 = new Database(path)
  migrate(v4, MIGRATIONS.slice(0, 4))
  v4.prepare(
    "INSERT INTO batches (id, event, ticket_type, price_minor, currency, quantity, public_key, created_at) VALUES ('b', 'e', 't', 1, 'EUR', 2, 'k', 'now')",
  ).run()
  v4.prepare("INSERT INTO tickets (batch_id, serial, token) VALUES ('b', 0, 'A'), ('b', 1, 'B')").run()
  v4.prepare(
    "INSERT INTO checkins (batch_id, serial, checked_in_at, device_id, recorded_at) VALUES ('b', 0, '2026-11-29T19:00:00.000Z', 'gate-1', 'now')",
  ).run()
  v4.close()
  const db = openSqlite(path)
  t.after(() => db.close())
  assert.deepEqual(db.prepare('SELECT serial, device_id, idempotency_key FROM checkins').all(), [
    { serial: 0, device_id: 'gate-1', idempotency_key: null },
  ])
  db.prepare(
    "INSERT INTO checkins (batch_id, serial, checked_in_at, recorded_at, idempotency_key) VALUES ('b', 1, 'now', 'now', 'k')",
  ).run()
  assert.equal(db.prepare('SELECT idempotency_key FROM checkins WHERE serial = 1').pluck().get(), 'k')
})

test('reopening a migrated database applies nothing and keeps its rows', (t) => {
  const path = join(tempDir(t), 'reopen.db')
  const first = openSqlite(path)
  first
    .prepare(
      "INSERT INTO batches (id, event, ticket_type, price_minor, currency, quantity, public_key, created_at) VALUES ('b', 'e', 't', 1, 'EUR', 1, 'k', 'now')",
    )
    .run()
  first.close()
  const db = new Database(path)
  t.after(() => db.close())
  assert.deepEqual(migrate(db), [])
  assert.equal(db.prepare('SELECT count(*) FROM batches').pluck().get(), 1)
})

test('migrations apply one version at a time, and a failing one rolls back to the previous version', (t) => {
  const db = new Database(join(tempDir(t), 'steps.db'))
  t.after(() => db.close())
  const steps: Migration[] = [
    { version: 1, description: 'one', up: (db) => db.exec('CREATE TABLE one (x)') },
    { version: 2, description: 'two', up: (db) => db.exec('CREATE TABLE two (x)') },
    {
      version: 3,
      description: 'fails halfway',
      up: (db) => {
        db.exec('CREATE TABLE three (x)')
        throw new Error('boom')
      },
    },
  ]
  assert.throws(() => migrate(db, steps), /boom/)
  assert.equal(schemaVersion(db), 2)
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all()
  assert.deepEqual(tables, ['one', 'two'])
  assert.deepEqual(migrate(db, steps.slice(0, 2)), [])
})

test('a database from a newer server version is refused, not touched', (t) => {
  const db = new Database(join(tempDir(t), 'future.db'))
  t.after(() => db.close())
  db.pragma(`user_version = ${latestVersion() + 1}`)
  assert.throws(() => migrate(db), /newer than this server knows/)
  assert.equal(schemaVersion(db), latestVersion() + 1)
})
