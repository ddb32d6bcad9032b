// What survives: an acknowledged chunk survives the server process being killed at any moment
// (SQLite: WAL with synchronous=NORMAL or FULL; PostgreSQL: a commit is acknowledged after the
// server wrote it to its WAL), and BOXOFFICE_SYNCHRONOUS reaches the SQLite connection.
// Power loss cannot be simulated here; docs/durability.md says what each mode promises for it.
import { eventBodyOf } from './test-events.ts'
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '@boxoffice/tickets'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { ADMIN_PASSWORD, ApiProcess } from '@boxoffice/testkit/api-process'
import type { StorageConfig } from '../src/db/storage.ts'
import { chunkDigest } from '../src/ingest/chunk-digest.ts'
import { databaseSnapshot, makeTestBatch, tempDir, testDatabase } from './helper.ts'
import { testBackend } from './test-database.ts'

/** The real server in its own process on `database`; killed after the test. */
async function startServer(t: TestContext, database: StorageConfig, env: Record<string, string> = {}): Promise<ApiProcess> {
  const server = new ApiProcess({ database, env: { BOXOFFICE_VERIFY_THREADS: '0', ...env } })
  t.after(() => server.dispose())
  await server.start()
  return server
}

/** Signs in as the bootstrap admin over HTTP; returns a fetch that sends the cookie and the CSRF header. */
async function signedInFetch(server: ApiProcess) {
  const headers = { 'content-type': 'application/json', [CSRF_HEADER]: CSRF_HEADER_VALUE }
  const signIn = await fetch(`${server.baseURL}/api/session`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  })
  assert.equal(signIn.status, 200)
  const cookie = signIn.headers.getSetCookie()[0]!.split(';')[0]!
  return (method: string, path: string, body: unknown) =>
    fetch(`${server.baseURL}${path}`, { method, headers: { ...headers, cookie }, body: JSON.stringify(body) })
}

function databaseOpenLog(server: ApiProcess) {
  return server.logLines().find((line) => line.msg === 'database open')
}

test('a chunk acknowledged just before the server process is killed (SIGKILL) is stored, exactly', async (t) => {
  const database = await testDatabase(t)
  const server = await startServer(t, database)
  const open = databaseOpenLog(server)
  if (database.backend === 'sqlite')
    assert.deepEqual([open?.journalMode, open?.synchronous], ['wal', 'NORMAL'], 'the default durability settings, as SQLite reports them')
  else assert.equal(open?.synchronousCommit, 'on', 'a commit waits for the WAL flush, as PostgreSQL reports it')
  const request = await signedInFetch(server)
  const batch = await makeTestBatch({ quantity: 120 })
  assert.equal((await request('POST', '/api/events', eventBodyOf(batch.type))).status, 201)
  assert.equal((await request('POST', '/api/batches', batch.body)).status, 201)
  const body = await batch.chunk(1)
  const ack = await request('PUT', `/api/batches/${batch.id}/chunks/1`, body)
  assert.equal(ack.status, 200)
  await server.stop('SIGKILL') // no close, no checkpoint: the chunk is only in the write-ahead log

  const stored = await databaseSnapshot(database)
  assert.deepEqual(stored.chunks, [{ batch_id: batch.id, chunk_index: 1, digest: chunkDigest(body.tickets.map((ticket) => ticket.token)) }])
  assert.deepEqual(
    stored.tickets,
    body.tickets.map(({ serial, token }) => ({ batch_id: batch.id, serial, token })),
  )
  assert.deepEqual([stored.batches[0]!.chunks_received, stored.batches[0]!.tickets_received], [1, 50])
})

test(
  "BOXOFFICE_SYNCHRONOUS=full puts the server's connection in synchronous FULL",
  { skip: testBackend() !== 'sqlite' && 'SQLite only' },
  async (t) => {
    const server = await startServer(
      t,
      { backend: 'sqlite', path: join(tempDir(t), 'full.db'), synchronous: 'NORMAL' },
      { BOXOFFICE_SYNCHRONOUS: 'full' },
    )
    assert.deepEqual([databaseOpenLog(server)?.journalMode, databaseOpenLog(server)?.synchronous], ['wal', 'FULL'])
  },
)
