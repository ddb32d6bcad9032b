// Nothing forged gets in: each chunk below is refused as a whole, and the database file is
// byte-for-byte the same rows afterwards.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { createBatchSigner, decodeBase32, encodeBase32 } from '@boxoffice/tickets'
import {
  buildTestApp,
  createWithChunks,
  databaseSnapshot,
  errorOf,
  makeTestBatch,
  putChunk,
  verifyToken,
  type Client,
  type TestBatch,
} from './helper.ts'
import type { StorageConfig } from '../src/db/storage.ts'

/** Batch `target` (120 tickets, chunk 0 committed) and batch `other` (120 tickets, chunks 0–2 committed), same owner. */
async function twoBatches(t: Parameters<typeof buildTestApp>[0]) {
  const { api, database } = await buildTestApp(t)
  const target = await makeTestBatch({ quantity: 120 })
  const other = await makeTestBatch({ quantity: 120 })
  await createWithChunks(api, target, [0])
  await createWithChunks(api, other, [0, 1, 2])
  return { api, database, target, other }
}

async function expectRefused(
  api: Client,
  database: StorageConfig,
  upload: { batch: TestBatch; index: number; tickets: { serial: number; token: string }[] },
  expected: { status: number; code: string; reason?: string },
) {
  const before = await databaseSnapshot(database)
  const response = await putChunk(api, upload.batch.id, upload.index, { tickets: upload.tickets })
  assert.equal(response.statusCode, expected.status, response.body)
  const error = errorOf(response)
  assert.equal(error.code, expected.code)
  if (expected.reason) assert.equal(error.details.problems[0].reason, expected.reason)
  assert.deepEqual(await databaseSnapshot(database), before)
  return error
}

/**
 * The token with its signature's scalar S replaced by S + L (L the group order): the same equation
 * holds, so a verifier that does not insist on S < L would accept a second token for the ticket.
 */
function withMalleatedSignature(token: string): string {
  const L = 2n ** 252n + 27742317777372353535851937790883648493n
  const bytes = decodeBase32(token)!
  const s = bytes.subarray(bytes.length - 32) // signature = R ‖ S, S little-endian
  let value = 0n
  for (let i = 31; i >= 0; i--) value = (value << 8n) | BigInt(s[i]!)
  value += L
  for (let i = 0; i < 32; i++) s[i] = Number((value >> BigInt(8 * i)) & 0xffn)
  return encodeBase32(bytes)
}

describe('a chunk is refused, and the database left unchanged, when it carries', () => {
  test('a real token with its signature made malleable, S + L (BAD_SIGNATURE), so no ticket has a second valid token', async (t) => {
    const { api, database, target } = await twoBatches(t)
    const tickets = (await target.chunk(1)).tickets
    tickets[3] = { serial: 53, token: withMalleatedSignature(tickets[3]!.token) }
    await expectRefused(
      api,
      database,
      { batch: target, index: 1, tickets },
      { status: 422, code: 'TOKEN_INVALID', reason: 'BAD_SIGNATURE' },
    )
    const committed = await target.token(7)
    assert.equal((await verifyToken(api, committed)).valid, true)
    assert.equal((await verifyToken(api, withMalleatedSignature(committed))).reason, 'BAD_SIGNATURE')
  })

  test("a token naming this batch and serial but signed with another batch's key (BAD_SIGNATURE)", async (t) => {
    const { api, database, target, other } = await twoBatches(t)
    const forge = createBatchSigner(other.keys.privateKey, { batchId: target.id, ticketType: target.ticketType })
    const tickets = (await target.chunk(1)).tickets
    tickets[7] = { serial: 57, token: await forge(57) }
    await expectRefused(
      api,
      database,
      { batch: target, index: 1, tickets },
      { status: 422, code: 'TOKEN_INVALID', reason: 'BAD_SIGNATURE' },
    )
  })

  test('a whole chunk forged with another key (every ticket BAD_SIGNATURE)', async (t) => {
    const { api, database, target, other } = await twoBatches(t)
    const forge = createBatchSigner(other.keys.privateKey, { batchId: target.id, ticketType: target.ticketType })
    const tickets = await Promise.all(Array.from({ length: 50 }, async (_, i) => ({ serial: 50 + i, token: await forge(50 + i) })))
    const error = await expectRefused(
      api,
      database,
      { batch: target, index: 1, tickets },
      { status: 422, code: 'TOKEN_INVALID', reason: 'BAD_SIGNATURE' },
    )
    assert.equal(error.details.problemCount, 50)
  })

  test("a valid token of serial s replayed at another position, labelled with that position's serial (SERIAL_MISMATCH)", async (t) => {
    const { api, database, target } = await twoBatches(t)
    const tickets = (await target.chunk(1)).tickets
    tickets[10] = { serial: 60, token: await target.token(3) } // serial 3 is committed in chunk 0
    await expectRefused(
      api,
      database,
      { batch: target, index: 1, tickets },
      { status: 422, code: 'TOKEN_INVALID', reason: 'SERIAL_MISMATCH' },
    )
  })

  test('a valid ticket of serial s replayed, with its own serial, inside another chunk (CHUNK_SERIAL_MISMATCH)', async (t) => {
    const { api, database, target } = await twoBatches(t)
    const tickets = (await target.chunk(1)).tickets
    tickets[10] = { serial: 3, token: await target.token(3) }
    await expectRefused(api, database, { batch: target, index: 1, tickets }, { status: 422, code: 'CHUNK_SERIAL_MISMATCH' })
  })

  test('valid tokens of another batch at the same serials (WRONG_BATCH)', async (t) => {
    const { api, database, target, other } = await twoBatches(t)
    const tickets = (await other.chunk(1)).tickets
    await expectRefused(api, database, { batch: target, index: 1, tickets }, { status: 422, code: 'TOKEN_INVALID', reason: 'WRONG_BATCH' })
  })

  test("a serial past the batch's quantity, correctly signed with the batch key", async (t) => {
    const { api, database, target } = await twoBatches(t)
    // The last chunk of 120 tickets holds serials 100–119.
    const lastChunk = (await target.chunk(2)).tickets
    await expectRefused(
      api,
      database,
      { batch: target, index: 2, tickets: [...lastChunk, { serial: 120, token: await target.token(120) }] },
      {
        status: 422,
        code: 'CHUNK_SERIAL_MISMATCH',
      },
    )
    const beyond = await Promise.all([150, 151].map(async (serial) => ({ serial, token: await target.token(serial) })))
    await expectRefused(api, database, { batch: target, index: 3, tickets: beyond }, { status: 422, code: 'CHUNK_INDEX_OUT_OF_RANGE' })
  })
})

describe('POST /api/tokens/verify refuses', () => {
  test('forged, replayed and out-of-range tokens, and changes nothing', async (t) => {
    const { api, database, target, other } = await twoBatches(t)
    const forge = createBatchSigner(other.keys.privateKey, { batchId: target.id, ticketType: target.ticketType })
    const before = await databaseSnapshot(database)
    const forged = await verifyToken(api, await forge(3))
    assert.equal(forged.reason, 'BAD_SIGNATURE')
    assert.equal(forged.ticket, undefined)

    const replayed = await api.inject({
      method: 'POST',
      url: '/api/tokens/verify',
      payload: { token: await other.token(3), batchId: target.id },
    })
    assert.equal(replayed.json().reason, 'WRONG_BATCH')

    const outOfRange = await verifyToken(api, await target.token(500))
    assert.equal(outOfRange.valid, false)
    assert.equal(outOfRange.reason, 'NOT_ISSUED')
    assert.equal(outOfRange.message, `serial 500 is outside batch ${target.id}, whose serials are 0–119`)
    assert.deepEqual(await databaseSnapshot(database), before)
  })
})
