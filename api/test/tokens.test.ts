import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { chunkCount, decodeBase32, encodeBase32 } from '@boxoffice/tickets'
import { buildTestApp, createBatch, createWithChunks, errorOf, forgeWithBatchKey, makeTestBatch, type Client } from './helper.ts'

async function verify(api: Client, payload: { token: unknown; batchId?: string }) {
  const response = await api.inject({ method: 'POST', url: '/api/tokens/verify', payload })
  assert.equal(response.statusCode, 200, response.body)
  return response.json()
}

describe('POST /api/tokens/verify', () => {
  test('every one of 1,000 ingested tickets verifies as valid, with its event and price', async (t) => {
    const { api } = await buildTestApp(t)
    const batch = await makeTestBatch({ quantity: 1000 })
    await createWithChunks(
      api,
      batch,
      Array.from({ length: chunkCount(1000) }, (_, index) => index),
    )
    for (let serial = 0; serial < 1000; serial++) {
      const result = await verify(api, { token: await batch.token(serial), batchId: batch.id })
      assert.deepEqual(result, {
        valid: true,
        ticket: {
          batchId: batch.id,
          serial,
          ticketType: 'General admission',
          event: 'Spring Gala 2026',
          price: { amountMinor: 4500, currency: 'EUR' },
        },
      })
    }
  })

  test('gives the reason a token is not valid', async (t) => {
    const { api } = await buildTestApp(t)
    const batch = await makeTestBatch({ quantity: 100 })
    await createWithChunks(api, batch, [0])
    const issued = await batch.token(7)
    const tamperedBytes = decodeBase32(issued)!
    tamperedBytes[30]! ^= 0x40
    const unknown = await makeTestBatch()
    const otherBatch = await makeTestBatch()
    await createBatch(api, otherBatch.body)

    const cases: [string, { token: string; batchId?: string }, string][] = [
      ['a tampered token', { token: encodeBase32(tamperedBytes) }, 'BAD_SIGNATURE'],
      ['garbage', { token: 'not a token at all' }, 'BAD_ENCODING'],
      ['an empty string', { token: '' }, 'BAD_ENCODING'],
      ['a token of a batch the server does not know', { token: await unknown.token(0) }, 'UNKNOWN_BATCH'],
      ['a token of another batch than the one asked about', { token: issued, batchId: otherBatch.id }, 'WRONG_BATCH'],
      ['a correctly signed token whose chunk was never uploaded', { token: await batch.token(60) }, 'NOT_ISSUED'],
      [
        'a correctly signed token of another ticket type',
        { token: await forgeWithBatchKey(batch, { ticketType: 'VIP' })(7) },
        'NOT_ISSUED',
      ],
    ]
    for (const [name, payload, reason] of cases) {
      const result = await verify(api, payload)
      assert.equal(result.valid, false, name)
      assert.equal(result.reason, reason, name)
      assert.equal(typeof result.message, 'string')
    }
  })

  test('a token of a format version it does not know is UNKNOWN_VERSION', async (t) => {
    const { api } = await buildTestApp(t)
    const batch = await makeTestBatch()
    const bytes = decodeBase32(await batch.token(0))!
    bytes[0] = 9
    const result = await verify(api, { token: encodeBase32(bytes) })
    assert.equal(result.reason, 'UNKNOWN_VERSION')
  })

  test('NOT_ISSUED shows the ticket the well-signed token names', async (t) => {
    const { api } = await buildTestApp(t)
    const batch = await makeTestBatch({ quantity: 100 })
    await createBatch(api, batch.body)
    const result = await verify(api, { token: await batch.token(42) })
    assert.equal(result.reason, 'NOT_ISSUED')
    assert.match(result.message, /holds no ticket with serial 42/)
    assert.equal(result.ticket.serial, 42)
    assert.equal(result.ticket.batchId, batch.id)
  })

  test('a body that is not {token: string} is 400 INVALID_REQUEST', async (t) => {
    const { api } = await buildTestApp(t)
    const response = await api.inject({ method: 'POST', url: '/api/tokens/verify', payload: { token: 42 } })
    assert.equal(response.statusCode, 400)
    assert.equal(errorOf(response).message, 'body/token must be string')
  })
})
