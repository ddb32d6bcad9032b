import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import { createTestDatabase } from '@boxoffice/testkit/test-database'
import { POSTGRES_DEFAULTS } from '../../config.ts'
import { latestPostgresVersion, migratePostgres, POSTGRES_MIGRATIONS, postgresSchemaVersion, type PostgresMigration } from './migrations.ts'
import { createPool } from './postgres-pool.ts'

async function freshPool(t: TestContext) {
  const database = await createTestDatabase()
  const pool = createPool({ url: database.url, ...POSTGRES_DEFAULTS })
  t.after(async () => {
    await pool.end()
    await database.drop()
  })
  return pool
}

test('migration versions run 1, 2, 3, … without gaps', () => {
  assert.deepEqual(
    POSTGRES_MIGRATIONS.map((migration) => migration.version),
    POSTGRES_MIGRATIONS.map((_, position) => position + 1),
  )
})

test('a new database is migrated to the latest version, each version recorded once; migrating again applies nothing', async (t) => {
  const pool = await freshPool(t)
  assert.deepEqual(
    await migratePostgres(pool),
    POSTGRES_MIGRATIONS.map((migration) => migration.version),
  )
  assert.equal(await postgresSchemaVersion(pool), latestPostgresVersion())
  assert.deepEqual(await migratePostgres(pool), [])
  const { rows } = await pool.query<{ version: number }>('SELECT version FROM boxoffice_schema ORDER BY version')
  assert.deepEqual(
    rows.map((row) => row.version),
    POSTGRES_MIGRATIONS.map((migration) => migration.version),
  )
  const tables = await pool.query<{ name: string }>(
    "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
  )
  assert.deepEqual(
    tables.rows.map((row) => row.name),
    [
      'accounts',
      'audit_log',
      'batches',
      'boxoffice_schema',
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
    ],
  )
})

test('migrations apply one version at a time, and a failing one rolls back to the previous version', async (t) => {
  const pool = await freshPool(t)
  const steps: PostgresMigration[] = [
    { version: 1, description: 'one', sql: 'CREATE TABLE one (x integer)' },
    { version: 2, description: 'two', sql: 'CREATE TABLE two (x integer)' },
    { version: 3, description: 'fails halfway', sql: 'CREATE TABLE three (x integer); SELECT 1 / 0' },
  ]
  await assert.rejects(migratePostgres(pool, steps), /division by zero/)
  assert.equal(await postgresSchemaVersion(pool), 2)
  const three = await pool.query("SELECT to_regclass('three') IS NULL AS absent")
  assert.equal(three.rows[0].absent, true)
  assert.deepEqual(await migratePostgres(pool, steps.slice(0, 2)), [])
})

test('a database from a newer server version is refused, not touched', async (t) => {
  const pool = await freshPool(t)
  await migratePostgres(pool)
  await pool.query("INSERT INTO boxoffice_schema (version, description) VALUES ($1, 'from the future')", [latestPostgresVersion() + 1])
  await assert.rejects(migratePostgres(pool), /newer than this server knows/)
  assert.equal(await postgresSchemaVersion(pool), latestPostgresVersion() + 1)
})

test('version 2 keeps the check-ins of a version 1 database, valid and with no idempotency key', async (t) => {
  const pool = await freshPool(t)
  assert.deepEqual(await migratePostgres(pool, POSTGRES_MIGRATIONS.slice(0, 1)), [1])
  await pool.query(
    "INSERT INTO batches (id, event, ticket_type, price_minor, currency, quantity, public_key, created_at) VALUES ('b', 'e', 't', 1, 'EUR', 2, 'k', now())",
  )
  await pool.query("INSERT INTO tickets (batch_id, serial, token) VALUES ('b', 0, 'A'), ('b', 1, 'B')")
  await pool.query(
    "INSERT INTO checkins (batch_id, serial, checked_in_at, device_id, recorded_at) VALUES ('b', 0, '2026-11-29T19:00:00.000Z', 'gate-1', now())",
  )

  assert.deepEqual(
    await migratePostgres(pool),
    POSTGRES_MIGRATIONS.slice(1).map((migration) => migration.version),
  )
  assert.equal(await postgresSchemaVersion(pool), latestPostgresVersion())
  const { rows } = await pool.query('SELECT serial, device_id, idempotency_key FROM checkins')
  assert.deepEqual(rows, [{ serial: 0, device_id: 'gate-1', idempotency_key: null }])
})
