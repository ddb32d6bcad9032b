// The compact chunk body the browser sends: signatures only, tokens rebuilt by the server.
import assert from 'node:assert/strict'
import { gzipSync } from 'node:zlib'
import { describe, test } from 'node:test'
import { SIGNATURE_CHUNK_MEDIA_TYPE } from '@boxoffice/tickets'
import type { StorageConfig } from '../src/db/storage.ts'
import {
  batchWithCommittedChunkZero,
  buildTestApp,
  createBatch,
  databaseSnapshot,
  errorOf,
  getStatus,
  makeTestBatch,
  putChunk,
  signaturesOf,
  storedProgress,
  type Client,
} from './helper.ts'

function putSignatures(api: Client, batchId: string, index: number, bytes: Buffer, headers: Record<string, string> = {}) {
  return api.inject({
    method: 'PUT',
    url: `/api/batches/${batchId}/chunks/${index}`,
    headers: { 'content-type': SIGNATURE_CHUNK_MEDIA_TYPE, ...headers },
    payload: bytes,
  })
}

describe('a signature chunk', () => {
  test('is stored as the very tokens of the JSON chunk, with the same digest', async (t) => {
    const viaSignatures = await buildTestApp(t)
    const viaJson = await buildTestApp(t)
    const batch = await makeTestBatch({ quantity: 120 })
    await createBatch(viaSignatures.api, batch.body)
    await createBatch(viaJson.api, batch.body)
    for (const index of [0, 1, 2]) {
      const body = await batch.chunk(index)
      const binary = await putSignatures(viaSignatures.api, batch.id, index, signaturesOf(body))
      const json = await putChunk(viaJson.api, batch.id, index, body)
      assert.equal(binary.statusCode, 200, binary.body)
      assert.equal(json.statusCode, 200)
      assert.deepEqual(binary.json(), json.json())
    }
    assert.equal((await getStatus(viaSignatures.api, batch.id)).ticketsReceived, 120)
    const stored = async (database: StorageConfig) => (await databaseSnapshot(database)).tickets
    assert.deepEqual(await stored(viaSignatures.database), await stored(viaJson.database))
  })

  test('replays as a duplicate in either form', async (t) => {
    const { api, batch, before } = await batchWithCommittedChunkZero(t) // chunk 0 went up as JSON
    const body = await batch.chunk(0)
    const again = await putSignatures(api, batch.id, 0, signaturesOf(body))
    assert.equal(again.statusCode, 200)
    assert.equal(again.json().duplicate, true)
    const gzipped = await putSignatures(api, batch.id, 0, gzipSync(signaturesOf(body)), { 'content-encoding': 'gzip' })
    assert.equal(gzipped.json().duplicate, true)
    assert.deepEqual(await storedProgress(api, batch.id), before)
  })

  test('with one signature altered is refused, naming the ticket, and stores nothing', async (t) => {
    const { api, batch, before, database } = await batchWithCommittedChunkZero(t)
    const snapshot = await databaseSnapshot(database)
    const bytes = signaturesOf(await batch.chunk(1))
    bytes[7 * 64 + 3]! ^= 1
    const response = await putSignatures(api, batch.id, 1, bytes)
    assert.equal(response.statusCode, 422)
    assert.equal(errorOf(response).code, 'TOKEN_INVALID')
    assert.match(errorOf(response).message, /^ticket 57: token signature invalid/)
    assert.deepEqual(await storedProgress(api, batch.id), before)
    assert.deepEqual(await databaseSnapshot(database), snapshot)
  })

  test('signed for another batch is refused: the server rebuilds the token with its own batch id', async (t) => {
    const { api, batch, before } = await batchWithCommittedChunkZero(t)
    const other = await makeTestBatch({ quantity: 120, publicKey: batch.body.publicKey })
    const response = await putSignatures(api, batch.id, 1, signaturesOf(await other.chunk(1)))
    assert.equal(response.statusCode, 422)
    assert.equal(errorOf(response).code, 'TOKEN_INVALID')
    assert.deepEqual(await storedProgress(api, batch.id), before)
  })

  test('with too few or too many signatures for its index is 422 CHUNK_SERIAL_MISMATCH', async (t) => {
    const { api, batch, before } = await batchWithCommittedChunkZero(t)
    const full = signaturesOf(await batch.chunk(1))
    const short = await putSignatures(api, batch.id, 1, full.subarray(0, 49 * 64))
    assert.equal(short.statusCode, 422)
    assert.equal(errorOf(short).code, 'CHUNK_SERIAL_MISMATCH')
    assert.equal(errorOf(short).message, 'chunk 1 must hold serials 50–99; got 50–98')
    // The last chunk holds 20 tickets; 21 signatures are one too many.
    const last = signaturesOf(await batch.chunk(2))
    const long = await putSignatures(api, batch.id, 2, Buffer.concat([last, last.subarray(0, 64)]))
    assert.equal(long.statusCode, 422)
    assert.equal(errorOf(long).code, 'CHUNK_SERIAL_MISMATCH')
    assert.deepEqual(await storedProgress(api, batch.id), before)
  })

  test('that is not whole signatures, empty, or larger than a chunk is refused before any check', async (t) => {
    const { api, batch, before } = await batchWithCommittedChunkZero(t)
    const full = signaturesOf(await batch.chunk(1))
    const ragged = await putSignatures(api, batch.id, 1, full.subarray(0, 100))
    assert.equal(ragged.statusCode, 400)
    assert.equal(errorOf(ragged).code, 'INVALID_REQUEST')
    assert.match(errorOf(ragged).message, /whole 64-byte signatures, 1 to 50 of them; got 100 bytes/)
    const empty = await putSignatures(api, batch.id, 1, Buffer.alloc(0))
    assert.equal(empty.statusCode, 400)
    const tooLarge = await putSignatures(api, batch.id, 1, Buffer.concat([full, full.subarray(0, 64)]))
    assert.equal(tooLarge.statusCode, 400)
    assert.match(errorOf(tooLarge).message, /got 3264 bytes/)
    assert.deepEqual(await storedProgress(api, batch.id), before)
  })

  test('an unknown media type is 415 naming both accepted ones', async (t) => {
    const { api, batch } = await batchWithCommittedChunkZero(t)
    const response = await api.inject({
      method: 'PUT',
      url: `/api/batches/${batch.id}/chunks/1`,
      headers: { 'content-type': 'application/octet-stream' },
      payload: Buffer.alloc(64),
    })
    assert.equal(response.statusCode, 415)
    assert.equal(
      errorOf(response).message,
      `content-type "application/octet-stream" is not supported; send application/json or ${SIGNATURE_CHUNK_MEDIA_TYPE}`,
    )
  })
})
