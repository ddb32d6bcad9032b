// Real PostgreSQL faults, provoked on a real server, not mocked: the server restarted under the
// app, a lock held past the statement timeout, a pool with no free connection, connections ended
// by the server. Each must be a 503 STORAGE_UNAVAILABLE with Retry-After that names the fault
// without internals, leave nothing of the request behind, and let the same request succeed once
// the fault is gone. (The SQLite ones are in sqlite-storage-faults.test.ts.)
import { addTestTicketType, createdBatch, DEFAULT_TEST_TYPE } from './test-events.ts'
import assert from 'node:assert/strict'
import { describe, test, type TestContext } from 'node:test'
import pg from 'pg'
import { ThrowawayPostgres } from '@boxoffice/testkit/throwaway-postgres'
import { createTestDatabase } from '@boxoffice/testkit/test-database'
import { POSTGRES_DEFAULTS } from '../src/config.ts'
import { openStorage } from '../src/db/open-storage.ts'
import type { PostgresConfig } from '../src/db/storage.ts'
import {
  addTestAccount,
  createWithChunks,
  databaseSnapshot,
  errorOf,
  getStatus,
  makeTestBatch,
  openApp,
  putChunk,
  signIn,
  type Client,
} from './helper.ts'

async function postgresDatabase(t: TestContext, settings: Partial<PostgresConfig> = {}): Promise<PostgresConfig> {
  const database = await createTestDatabase()
  t.after(() => database.drop())
  return { backend: 'postgres', url: database.url, ...POSTGRES_DEFAULTS, ...settings }
}

async function signedInApp(t: TestContext, database: PostgresConfig) {
  const app = await openApp(t, database)
  await addTestAccount(app, 'staff')
  return { app, api: (await signIn(app, 'staff')).api }
}

function assertUnavailable(response: Awaited<ReturnType<Client['inject']>>, message: RegExp) {
  assert.equal(response.statusCode, 503, response.body)
  assert.ok(Number(response.headers['retry-after']) >= 1, 'Retry-After')
  const error = errorOf(response)
  assert.equal(error.code, 'STORAGE_UNAVAILABLE')
  assert.match(error.message, message)
  for (const internal of ['postgres', 'SELECT', '127.0.0.1', 'ECONN'])
    assert.ok(!error.message.includes(internal), `${error.message} hides ${internal}`)
}

/** Another session that holds the batch's row lock until released, as a slow transaction elsewhere would. */
async function lockBatchRow(database: PostgresConfig, batchId: string) {
  const client = new pg.Client({ connectionString: database.url })
  await client.connect()
  await client.query('BEGIN')
  await client.query('SELECT 1 FROM batches WHERE id = $1 FOR UPDATE', [batchId])
  return async () => {
    await client.query('ROLLBACK')
    await client.end()
  }
}

describe('PostgreSQL faults', () => {
  test('the server restarted mid-upload: 503 while it is down, the same chunk accepted once it is back, nothing half-written', async (t) => {
    const server = await ThrowawayPostgres.start()
    t.after(() => server.dispose())
    const database: PostgresConfig = { backend: 'postgres', url: server.url, ...POSTGRES_DEFAULTS, connectionTimeoutMs: 2_000 }
    const { api } = await signedInApp(t, database)
    const batch = await makeTestBatch({ quantity: 150 })
    await createWithChunks(api, batch, [0])

    await server.stopServer('fast')
    assertUnavailable(await putChunk(api, batch.id, 1, await batch.chunk(1)), /cannot reach its database|did not answer in time/)
    await server.startServer()

    // The pool drops the connections the restart broke and opens new ones.
    assert.equal((await putChunk(api, batch.id, 1, await batch.chunk(1))).statusCode, 200)
    assert.equal((await putChunk(api, batch.id, 2, await batch.chunk(2))).statusCode, 200)
    const status = await getStatus(api, batch.id)
    assert.deepEqual([status.chunksReceived, status.ticketsReceived, status.committedChunks], [3, 150, [[0, 2]]])
  })

  test('a chunk whose batch row stays locked past the statement timeout is 503, and nothing of it is stored', async (t) => {
    const database = await postgresDatabase(t, { statementTimeoutMs: 300 })
    const { api } = await signedInApp(t, database)
    const batch = await makeTestBatch({ quantity: 100 })
    await createWithChunks(api, batch, [0])
    const before = await databaseSnapshot(database)

    const release = await lockBatchRow(database, batch.id)
    try {
      assertUnavailable(await putChunk(api, batch.id, 1, await batch.chunk(1)), /did not answer in time/)
      assert.deepEqual(await databaseSnapshot(database), before)
    } finally {
      await release()
    }
    assert.equal((await putChunk(api, batch.id, 1, await batch.chunk(1))).statusCode, 200)
  })

  test('no connection free within the connect timeout is 503 at once, not a hang; the waiting request still succeeds', async (t) => {
    const database = await postgresDatabase(t, { poolSize: 1, connectionTimeoutMs: 200 })
    const { api } = await signedInApp(t, database)
    const batch = await makeTestBatch({ quantity: 100 })
    await createWithChunks(api, batch, [])

    const release = await lockBatchRow(database, batch.id)
    // Holds the pool's only connection, waiting on the lock.
    const waiting = putChunk(api, batch.id, 0, await batch.chunk(0))
    await new Promise((resolve) => setTimeout(resolve, 100))
    const started = performance.now()
    const refused = await putChunk(api, batch.id, 1, await batch.chunk(1))
    const waited = performance.now() - started
    await release()
    // 401 would mean the session lookup itself failed some other way; it, too, needs a connection.
    assertUnavailable(refused, /did not answer in time/)
    assert.ok(waited < 5_000, `answered after ${Math.round(waited)} ms`)
    assert.equal((await waiting).statusCode, 200)
    assert.deepEqual((await getStatus(api, batch.id)).committedChunks, [[0, 0]])
  })

  test('connections ended by the server (pg_terminate_backend): the request in flight is 503, the next ones succeed', async (t) => {
    const database = await postgresDatabase(t)
    const { api } = await signedInApp(t, database)
    const batch = await makeTestBatch({ quantity: 100 })
    await createWithChunks(api, batch, [0])

    const release = await lockBatchRow(database, batch.id)
    const inFlight = putChunk(api, batch.id, 1, await batch.chunk(1))
    await new Promise((resolve) => setTimeout(resolve, 100))
    const admin = new pg.Client({ connectionString: database.url })
    await admin.connect()
    await admin.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'boxoffice' AND datname = current_database()",
    )
    await admin.end()
    assertUnavailable(await inFlight, /cannot reach its database/)
    await release()
    assert.equal((await putChunk(api, batch.id, 1, await batch.chunk(1))).statusCode, 200)
    assert.equal((await getStatus(api, batch.id)).ticketsReceived, 100)
  })

  test('an export read slowly for longer than the statement timeout is not cut off: its cursor has an export timeout of its own', async (t) => {
    const database = await postgresDatabase(t, { statementTimeoutMs: 200 })
    const storage = await openStorage(database)
    t.after(() => storage.close())
    await addTestTicketType(storage.events)
    const batch = await createdBatch(storage.tickets, {
      id: crypto.randomUUID(),
      ticketTypeId: DEFAULT_TEST_TYPE.ticketTypeId,
      quantity: 200,
      publicKey: 'k'.repeat(43),
      createdAt: new Date().toISOString(),
      createdBy: null,
    })
    for (let index = 0; index < 4; index++) {
      const tickets = Array.from({ length: 50 }, (_, offset) => ({ serial: index * 50 + offset, token: `T${index * 50 + offset}` }))
      await storage.tickets.commitChunk({ batchId: batch.id, index, digest: `d${index}`, tickets, committedAt: new Date().toISOString() })
    }
    let read = 0
    for await (const page of storage.tickets.streamTickets(batch.id, [0, 199], 50)) {
      read += page.length
      // A client draining the page slowly: 4 × 150 ms is three times the statement timeout.
      await new Promise((resolve) => setTimeout(resolve, 150))
    }
    assert.equal(read, 200)
    // The connection went back to the pool usable, with the ordinary timeout.
    assert.equal((await storage.tickets.getBatch(batch.id))?.ticketsReceived, 200)
  })
})
