import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createTestDatabase } from '@boxoffice/testkit/test-database'
import { latestPostgresVersion, migratePostgres, POSTGRES_MIGRATIONS, postgresSchemaVersion } from './migrations.ts'
import { createPool } from './postgres-pool.ts'

test('PostgreSQL migration versions run 1, 2, 3, … without gaps', () => {
  assert.deepEqual(POSTGRES_MIGRATIONS.map((migration) => migration.version), POSTGRES_MIGRATIONS.map((_, position) => position + 1))
})

test('version 2 keeps the check-ins of a version 1 database, valid and with no idempotency key', async (t) => {
  const database = await createTestDatabase()
  t.after(() => database.drop())
  const pool = createPool({ url: database.url, poolSize: 2, connectionTimeoutMs: 5_000, statementTimeoutMs: 10_000 })
  t.after(() => pool.end())
  assert.deepEqual(await migratePostgres(pool, POSTGRES_MIGRATIONS.slice(0, 1)), [1])
  await pool.query("INSERT INTO batches (id, event, ticket_type, price_minor, currency, quantity, public_key, created_at) VALUES ('b', 'e', 't', 1, 'EUR', 2, 'k', now())")
  await pool.query("INSERT INTO tickets (batch_id, serial, token) VALUES ('b', 0, 'A'), ('b', 1, 'B')")
  await pool.query("INSERT INTO checkins (batch_id, serial, checked_in_at, device_id, recorded_at) VALUES ('b', 0, '2026-11-29T19:00:00.000Z', 'gate-1', now())")

  assert.deepEqual(await migratePostgres(pool), POSTGRES_MIGRATIONS.slice(1).map((migration) => migration.version))
  assert.equal(await postgresSchemaVersion(pool), latestPostgresVersion())
  const { rows } = await pool.query('SELECT serial, device_id, idempotency_key FROM checkins')
  assert.deepEqual(rows, [{ serial: 0, device_id: 'gate-1', idempotency_key: null }])
})
