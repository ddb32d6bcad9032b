// What survives: an acknowledged chunk survives the server process being killed at any moment
// (WAL with synchronous=NORMAL or FULL), and BOXOFFICE_SYNCHRONOUS reaches the connection.
// Power loss cannot be simulated here; docs/durability.md says what each mode promises for it.
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import { chunkDigest } from '../src/ingest/chunk-digest.ts'
import { databaseSnapshot, makeTestBatch, tempDir } from './helper.ts'
import { startServer, type ServerProcess } from './server-process.ts'

const ADMIN_PASSWORD = 'a long admin password'

/** Signs in as the bootstrap admin over HTTP; returns a fetch that sends the cookie and the CSRF header. */
async function signedInFetch(server: ServerProcess) {
  const headers = { 'content-type': 'application/json', 'x-boxoffice-request': '1' }
  const signIn = await fetch(`${server.baseUrl}/api/session`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  })
  assert.equal(signIn.status, 200)
  const cookie = signIn.headers.getSetCookie()[0]!.split(';')[0]!
  return (method: string, path: string, body: unknown) =>
    fetch(`${server.baseUrl}${path}`, { method, headers: { ...headers, cookie }, body: JSON.stringify(body) })
}

function databaseOpenLog(server: ServerProcess) {
  return server.logs.find((line) => line.msg === 'database open')
}

test('a chunk acknowledged just before the server process is killed (SIGKILL) is stored, exactly', async (t) => {
  const dbPath = join(tempDir(t), 'boxoffice.db')
  const server = await startServer(t, { BOXOFFICE_DB: dbPath, BOXOFFICE_ADMIN_PASSWORD: ADMIN_PASSWORD })
  assert.deepEqual(
    [databaseOpenLog(server)?.journalMode, databaseOpenLog(server)?.synchronous],
    ['wal', 'NORMAL'],
    'the default durability settings, as SQLite reports them',
  )
  const request = await signedInFetch(server)
  const batch = await makeTestBatch({ quantity: 120 })
  assert.equal((await request('POST', '/api/batches', batch.body)).status, 201)
  const body = await batch.chunk(1)
  const ack = await request('PUT', `/api/batches/${batch.id}/chunks/1`, body)
  assert.equal(ack.status, 200)
  await server.crash() // no close, no checkpoint: the chunk is only in the write-ahead log

  const stored = databaseSnapshot(dbPath)
  assert.deepEqual(stored.chunks, [{ batch_id: batch.id, chunk_index: 1, digest: chunkDigest(body.tickets.map((ticket) => ticket.token)) }])
  assert.deepEqual(stored.tickets, body.tickets.map(({ serial, token }) => ({ batch_id: batch.id, serial, token })))
  assert.deepEqual([stored.batches[0]!.chunks_received, stored.batches[0]!.tickets_received], [1, 50])
})

test('BOXOFFICE_SYNCHRONOUS=full puts the server\'s connection in synchronous FULL', async (t) => {
  const server = await startServer(t, { BOXOFFICE_DB: join(tempDir(t), 'full.db'), BOXOFFICE_SYNCHRONOUS: 'full' })
  assert.deepEqual([databaseOpenLog(server)?.journalMode, databaseOpenLog(server)?.synchronous], ['wal', 'FULL'])
})
