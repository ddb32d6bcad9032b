// Real SQLite faults, provoked on a real database file, not mocked: a full database, a read-only
// file, a lock held too long, a damaged page. Each must be a 503 STORAGE_UNAVAILABLE that names
// the fault without internals, leave nothing of the request behind, and let the same request
// succeed once the fault is gone.
import assert from 'node:assert/strict'
import { closeSync, openSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { describe, test, type TestContext } from 'node:test'
import Database from 'better-sqlite3'
import { chunkDigest } from '../src/ingest/chunk-digest.ts'
import { openSqlite } from '../src/db/sqlite/open-sqlite.ts'
import { sqliteStorageOn } from '../src/db/sqlite/sqlite-storage.ts'
import type { SqliteConfig } from '../src/db/storage.ts'
import {
  addTestAccount,
  clientOf,
  createBatch,
  createWithChunks,
  databaseSnapshot,
  errorOf,
  getStatus,
  makeTestBatch,
  openApp,
  putChunk,
  signIn,
  tempDir,
  verifyToken,
  type Client,
  type TestBatch,
} from './helper.ts'

const sqliteAt = (path: string): SqliteConfig => ({ backend: 'sqlite', path, synchronous: 'NORMAL' })

/** The app on a connection the test keeps, with one account signed in; the app's log lines are collected. */
async function appOnConnection(t: TestContext, dbPath: string, db: Database.Database) {
  const logs: Record<string, any>[] = []
  const stream = new Writable({
    write(line, _encoding, done) {
      logs.push(JSON.parse(String(line)))
      done()
    },
  })
  const app = await openApp(t, sqliteAt(dbPath), { storage: sqliteStorageOn(db), logger: { level: 'error', stream } })
  return { app, logs }
}

/** A database with an account signed in and a 120-ticket batch whose chunk 0 is committed. */
async function preparedDatabase(t: TestContext) {
  const dbPath = join(tempDir(t), 'boxoffice.db')
  const app = await openApp(t, sqliteAt(dbPath))
  await addTestAccount(app, 'staff')
  const { api, token } = await signIn(app, 'staff')
  const batch = await makeTestBatch({ quantity: 120 })
  await createWithChunks(api, batch, [0])
  await app.close()
  return { dbPath, token, batch }
}

function assertStorageUnavailable(response: Awaited<ReturnType<Client['inject']>>, retryAfter: string, message: RegExp, dbPath: string) {
  assert.equal(response.statusCode, 503, response.body)
  assert.equal(response.headers['retry-after'], retryAfter)
  const error = errorOf(response)
  assert.equal(error.code, 'STORAGE_UNAVAILABLE')
  assert.match(error.message, message)
  assert.deepEqual(Object.keys(error), ['code', 'message'], 'no details')
  for (const internal of [dbPath, 'SQLITE', 'sqlite', '/'])
    assert.ok(!error.message.includes(internal), `${error.message} hides ${internal}`)
}

/** The committed chunk, read straight from the file: its row, and exactly its tickets in order. */
async function assertChunkStoredExactly(dbPath: string, batch: TestBatch, index: number, tickets: { serial: number; token: string }[]) {
  const stored = await databaseSnapshot(sqliteAt(dbPath))
  assert.deepEqual(
    stored.chunks.filter((chunk: any) => chunk.batch_id === batch.id && chunk.chunk_index === index),
    [{ batch_id: batch.id, chunk_index: index, digest: chunkDigest(tickets.map((ticket) => ticket.token)) }],
  )
  const first = tickets[0]!.serial
  const last = tickets.at(-1)!.serial
  assert.deepEqual(
    stored.tickets.filter((row: any) => row.batch_id === batch.id && row.serial >= first && row.serial <= last),
    tickets.map(({ serial, token }) => ({ batch_id: batch.id, serial, token })),
  )
}

describe('a full database (SQLITE_FULL)', () => {
  test('in the middle of a chunk is 503 STORAGE_UNAVAILABLE, stores nothing of it, and the same PUT succeeds once there is room', async (t) => {
    const { dbPath, token, batch } = await preparedDatabase(t)
    const db = openSqlite(dbPath)
    const { app, logs } = await appOnConnection(t, dbPath, db)
    const api = clientOf(app, token)
    const before = await databaseSnapshot(sqliteAt(dbPath))
    const body = await batch.chunk(1)

    // max_page_count is a real SQLite limit that fails writes exactly as a full disk does. One
    // spare page holds the chunk row and some of its 50 tickets (about 25 fit in 4 KiB), so the
    // transaction fails part-way through the tickets: the case a half-written chunk would come from.
    const pages = db.pragma('page_count', { simple: true }) as number
    db.pragma(`max_page_count = ${pages + 1}`)
    const full = await putChunk(api, batch.id, 1, body)
    assertStorageUnavailable(full, '30', /disk or database is full/, dbPath)
    assert.deepEqual(await databaseSnapshot(sqliteAt(dbPath)), before, 'no row of the chunk, no ticket, no counter')
    const status = await getStatus(api, batch.id)
    assert.deepEqual([status.committedChunks, status.chunksReceived, status.ticketsReceived], [[[0, 0]], 1, 50])
    assert.equal((await verifyToken(api, body.tickets[0]!.token)).reason, 'NOT_ISSUED')

    // The log has what the client is not told.
    const logged = logs.find((line) => line.msg === 'request failed')
    assert.equal(logged?.err?.driverCode, 'SQLITE_FULL')
    assert.equal(logged?.err?.operation, 'commitChunk')
    assert.equal(logged?.url, `/api/batches/${batch.id}/chunks/1`)

    db.pragma('max_page_count = 1073741823')
    const retried = await putChunk(api, batch.id, 1, body)
    assert.equal(retried.statusCode, 200, retried.body)
    assert.equal(retried.json().duplicate, false)
    assert.equal(retried.json().ticketsReceived, 100)
    await assertChunkStoredExactly(dbPath, batch, 1, body.tickets)
  })

  test('a new batch is 503 too, and is created by the retry', async (t) => {
    const { dbPath, token } = await preparedDatabase(t)
    const db = openSqlite(dbPath)
    const { app } = await appOnConnection(t, dbPath, db)
    const api = clientOf(app, token)
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true })}`)
    // Batches fill their page slowly: create until the page is full.
    let refused
    for (let attempt = 0; attempt < 200 && !refused; attempt++) {
      const batch = await makeTestBatch()
      const response = await createBatch(api, batch.body)
      if (response.statusCode === 503) refused = { batch, response }
      else assert.equal(response.statusCode, 201)
    }
    assert.ok(refused, 'the database filled up')
    assertStorageUnavailable(refused.response, '30', /full/, dbPath)
    assert.equal((await api.inject({ method: 'GET', url: `/api/batches/${refused.batch.id}` })).statusCode, 404)
    db.pragma('max_page_count = 1073741823')
    assert.equal((await createBatch(api, refused.batch.body)).statusCode, 201)
  })
})

describe('a read-only database (SQLITE_READONLY)', () => {
  test('refuses every write with 503 STORAGE_UNAVAILABLE, still answers reads, and the writes succeed once it is writable', async (t) => {
    const { dbPath, token, batch } = await preparedDatabase(t)
    const before = await databaseSnapshot(sqliteAt(dbPath))
    // Tests run as root, and chmod 0444 does not stop root from writing. When the operating
    // system refuses write access (chmod for other users, `chattr +i` for root) SQLite opens the
    // file read-only by itself and every write fails with SQLITE_READONLY; opening it with
    // `readonly: true` reaches that same state for any user (checked by hand with chattr +i).
    const { app } = await appOnConnection(t, dbPath, new Database(dbPath, { readonly: true }))
    const api = clientOf(app, token)
    const body = await batch.chunk(1)

    assertStorageUnavailable(await putChunk(api, batch.id, 1, body), '30', /read-only/, dbPath)
    const another = await makeTestBatch()
    assertStorageUnavailable(await createBatch(api, another.body), '30', /read-only/, dbPath)
    assertStorageUnavailable(await api.inject({ method: 'POST', url: `/api/batches/${batch.id}/cancel` }), '30', /read-only/, dbPath)
    const signingIn = await clientOf(app).inject({
      method: 'POST',
      url: '/api/session',
      payload: { username: 'staff', password: 'correct horse battery' },
    })
    assertStorageUnavailable(signingIn, '30', /read-only/, dbPath)

    assert.equal((await getStatus(api, batch.id)).ticketsReceived, 50, 'reads still work')
    assert.equal((await api.inject({ method: 'GET', url: '/api/health' })).statusCode, 200)
    await app.close()
    assert.deepEqual(await databaseSnapshot(sqliteAt(dbPath)), before)

    const writable = clientOf(await openApp(t, sqliteAt(dbPath)), token)
    const retried = await putChunk(writable, batch.id, 1, body)
    assert.equal(retried.statusCode, 200, retried.body)
    await assertChunkStoredExactly(dbPath, batch, 1, body.tickets)
  })
})

describe('a database locked by another process (SQLITE_BUSY)', () => {
  test('past the busy timeout is 503 STORAGE_UNAVAILABLE with Retry-After: 1; once the lock is gone the same PUT succeeds', async (t) => {
    const { dbPath, token, batch } = await preparedDatabase(t)
    const db = openSqlite(dbPath)
    db.pragma('busy_timeout = 50') // 5 s in production; the test need not wait that long
    const { app } = await appOnConnection(t, dbPath, db)
    const api = clientOf(app, token)
    const other = new Database(dbPath)
    t.after(() => other.close())
    other.exec('BEGIN IMMEDIATE') // holds the write lock, as a long write from the CLI or a backup would
    const body = await batch.chunk(2)
    assertStorageUnavailable(await putChunk(api, batch.id, 2, body), '1', /busy/, dbPath)
    other.exec('ROLLBACK')
    assert.equal((await putChunk(api, batch.id, 2, body)).statusCode, 200)
    await assertChunkStoredExactly(dbPath, batch, 2, body.tickets)
  })
})

describe('a damaged database file (SQLITE_CORRUPT)', () => {
  test('is 503 STORAGE_UNAVAILABLE on the requests that touch the damaged page; the others are served', async (t) => {
    const { dbPath, token, batch } = await preparedDatabase(t)
    const inspect = new Database(dbPath, { readonly: true })
    const root = inspect.prepare("SELECT rootpage FROM sqlite_schema WHERE name = 'tickets'").pluck().get() as number
    const pageSize = inspect.pragma('page_size', { simple: true }) as number
    inspect.close()
    const file = openSync(dbPath, 'r+')
    writeSync(file, Buffer.alloc(64, 0xff), 0, 64, (root - 1) * pageSize) // overwrite the tickets table's root page header
    closeSync(file)

    const { app } = await appOnConnection(t, dbPath, openSqlite(dbPath))
    const api = clientOf(app, token)
    const check = await api.inject({ method: 'POST', url: '/api/tokens/verify', payload: { token: await batch.token(3) } })
    assertStorageUnavailable(check, '30', /damaged/, dbPath)
    assertStorageUnavailable(await putChunk(api, batch.id, 1, await batch.chunk(1)), '30', /damaged/, dbPath)
    assert.equal((await getStatus(api, batch.id)).chunksReceived, 1, 'the batch and chunk tables are intact')
  })
})
