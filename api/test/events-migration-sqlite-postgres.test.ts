// A database written by the version before events (SQLite schema 5, PostgreSQL schema 2), with
// real signed tickets, check-ins and a cancelled batch, opened by this version: each event name
// becomes an event and each ticket type a type whose capacity is what it issued, and the tickets
// already printed keep checking in. Runs on both backends in one pass (the name says so).
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { describe, test, type TestContext } from 'node:test'
import Database from 'better-sqlite3'
import pg from 'pg'
import { chunkCount } from '@boxoffice/tickets'
import { createTestDatabase } from '@boxoffice/testkit/test-database'
import { POSTGRES_DEFAULTS } from '../src/config.ts'
import { migrate, MIGRATIONS } from '../src/db/sqlite/migrations.ts'
import { migratePostgres, POSTGRES_MIGRATIONS } from '../src/db/postgres/migrations.ts'
import type { StorageConfig } from '../src/db/storage.ts'
import { addTestAccount, makeTestBatch, openApp, signIn, tempDir, type TestBatch } from './helper.ts'
import { TEST_BACKENDS } from './test-database.ts'

type Run = (sql: string, params: unknown[]) => Promise<void>

/** The previous version's database, empty, and a way to write rows into it; `done` closes it. */
async function previousVersion(t: TestContext, backend: StorageConfig['backend']) {
  if (backend === 'sqlite') {
    const path = join(tempDir(t), 'before-events.db')
    const db = new Database(path)
    migrate(db, MIGRATIONS.slice(0, 5))
    const run: Run = async (sql, params) => void db.prepare(sql).run(...(params as never[]))
    return { run, done: async () => db.close(), config: { backend, path, synchronous: 'NORMAL' } as StorageConfig }
  }
  const database = await createTestDatabase()
  t.after(() => database.drop())
  const pool = new pg.Pool({ connectionString: database.url, max: 1 })
  await migratePostgres(pool, POSTGRES_MIGRATIONS.slice(0, 2))
  const run: Run = async (sql, params) => {
    let n = 0
    await pool.query(
      sql.replace(/\?/g, () => `$${++n}`),
      params,
    )
  }
  return { run, done: () => pool.end(), config: { backend, url: database.url, ...POSTGRES_DEFAULTS } as StorageConfig }
}

/** A batch as the previous version stored it: every chunk and ticket, in a given state. */
async function writeBatch(run: Run, batch: TestBatch, event: string, state: string, uploadedChunks = chunkCount(batch.body.quantity)) {
  const { quantity } = batch.body
  let tickets = 0
  for (let index = 0; index < uploadedChunks; index++) tickets += (await batch.chunk(index)).tickets.length
  await run(
    `INSERT INTO batches (id, event, ticket_type, price_minor, currency, quantity, public_key, state, created_at, chunks_received, tickets_received)
     VALUES (?, ?, ?, ?, 'EUR', ?, ?, ?, ?, ?, ?)`,
    [batch.id, event, batch.ticketType, 2500, quantity, batch.body.publicKey, state, new Date().toISOString(), uploadedChunks, tickets],
  )
  for (let index = 0; index < uploadedChunks; index++) {
    const chunk = await batch.chunk(index)
    await run('INSERT INTO chunks (batch_id, chunk_index, digest, ticket_count, committed_at) VALUES (?, ?, ?, ?, ?)', [
      batch.id,
      index,
      `digest ${index}`,
      chunk.tickets.length,
      new Date().toISOString(),
    ])
    for (const ticket of chunk.tickets)
      await run('INSERT INTO tickets (batch_id, serial, token) VALUES (?, ?, ?)', [batch.id, ticket.serial, ticket.token])
  }
}

for (const backend of TEST_BACKENDS) {
  describe(`a ${backend} database from before events`, () => {
    test('becomes events and types with capacity equal to what was issued; its tickets keep checking in', async (t) => {
      const before = await previousVersion(t, backend)
      const gala = await makeTestBatch({ ticketType: 'General admission', quantity: 120 })
      const galaMore = await makeTestBatch({ ticketType: 'General admission', quantity: 60 })
      const cancelled = await makeTestBatch({ ticketType: 'General admission', quantity: 150 })
      const vip = await makeTestBatch({ ticketType: 'VIP', quantity: 10 })
      const club = await makeTestBatch({ ticketType: 'Door', quantity: 50 })
      await writeBatch(before.run, gala, 'Gala', 'completed')
      await writeBatch(before.run, galaMore, 'Gala', 'open', 1)
      await writeBatch(before.run, cancelled, 'Gala', 'cancelled', 2)
      await writeBatch(before.run, vip, 'Gala', 'completed')
      await writeBatch(before.run, club, 'Club night', 'completed')
      await before.run(
        "INSERT INTO checkins (batch_id, serial, checked_in_at, device_id, recorded_at) VALUES (?, 3, '2026-04-30T21:03:00.000Z', 'gate-1', ?)",
        [gala.id, new Date().toISOString()],
      )
      await before.done()

      const app = await openApp(t, before.config)
      await addTestAccount(app, 'door')
      const { api } = await signIn(app, 'door')
      const events = (await api.inject({ method: 'GET', url: '/api/events' })).json().events
      const byName = Object.fromEntries(events.map((event: any) => [event.name, event]))
      assert.deepEqual(
        byName['Gala'].ticketTypes.map((type: any) => [type.name, type.capacity, type.issued, type.remaining, type.price]),
        [
          // 120 + 60 (open) + 100 (the cancelled batch's uploaded tickets)
          ['General admission', 280, 280, 0, { amountMinor: 2500, currency: 'EUR' }],
          ['VIP', 10, 10, 0, { amountMinor: 2500, currency: 'EUR' }],
        ],
      )
      assert.equal(byName['Gala'].startsAt, null, 'the start is unknown until someone sets it')
      assert.deepEqual(
        byName['Club night'].ticketTypes.map((type: any) => [type.name, type.capacity]),
        [['Door', 50]],
      )
      const eventId = byName['Gala'].id
      const checkIn = (token: string) =>
        api.inject({ method: 'POST', url: '/api/checkins', payload: { token, eventId } }).then((r) => r.json())
      assert.equal((await checkIn(await gala.token(4))).result, 'valid', 'a printed ticket checks in')
      assert.equal((await checkIn(await gala.token(3))).result, 'already-checked-in', 'a check-in from before is kept')
      assert.equal((await checkIn(await vip.token(0))).result, 'valid')
      assert.equal((await checkIn(await club.token(0))).message, 'Wrong event: Club night')
      const dashboard = (await api.inject({ method: 'GET', url: `/api/events/${eventId}/dashboard` })).json()
      assert.deepEqual(dashboard.total, { capacity: 290, issued: 290, onServer: 120 + 50 + 100 + 10, checkedIn: 3, revoked: 0 })
      assert.deepEqual(dashboard.checkinsPer5Minutes[0], { start: '2026-04-30T21:00:00.000Z', count: 1 })
      const more = await makeTestBatch({ quantity: 1 })
      const refused = await api.inject({
        method: 'POST',
        url: '/api/batches',
        payload: { ...more.body, ticketTypeId: byName['Gala'].ticketTypes[0].id },
      })
      assert.equal(refused.json().error.code, 'CAPACITY_EXCEEDED', 'a migrated type is full until its capacity is raised')
    })
  })
}
