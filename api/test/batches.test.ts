import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { SMALL_ORDER_KEYS } from '@boxoffice/tickets/testing'
import { buildTestApp, createBatch, createWithChunks, errorOf, getStatus, makeTestBatch } from './helper.ts'

describe('POST /api/batches', () => {
  test('creates an open batch (201), and the identical request replayed answers 200 with the same batch', async (t) => {
    const { api } = await buildTestApp(t)
    const batch = await makeTestBatch({ quantity: 1001 })
    const created = await createBatch(api, batch.body)
    assert.equal(created.statusCode, 201)
    const status = created.json()
    assert.equal(status.id, batch.id)
    assert.equal(status.state, 'open')
    assert.deepEqual(status.price, { amountMinor: 4500, currency: 'EUR' })
    assert.equal(status.chunkSize, 50)
    assert.equal(status.chunkCount, 21)
    assert.equal(status.ticketsReceived, 0)
    assert.deepEqual(status.committedChunks, [])
    assert.equal(status.finishedAt, null)

    const replay = await createBatch(api, batch.body)
    assert.equal(replay.statusCode, 200)
    assert.deepEqual(replay.json(), status)
  })

  test('a replay after chunks arrived answers 200 with the current progress', async (t) => {
    const { api } = await buildTestApp(t)
    const batch = await makeTestBatch()
    await createWithChunks(api, batch, [1])
    const replay = await createBatch(api, batch.body)
    assert.equal(replay.statusCode, 200)
    assert.deepEqual(replay.json().committedChunks, [[1, 1]])
  })

  test('the same id with a different body is 409 BATCH_CONFLICT naming each differing field, and changes nothing', async (t) => {
    const { api } = await buildTestApp(t)
    const batch = await makeTestBatch()
    await createBatch(api, batch.body)
    const other = await makeTestBatch({ id: batch.id, quantity: 999 })
    const response = await createBatch(api, { ...other.body, ticketTypeId: crypto.randomUUID() })
    assert.equal(response.statusCode, 409)
    const error = errorOf(response)
    assert.equal(error.code, 'BATCH_CONFLICT')
    assert.equal(error.message, `batch ${batch.id} already exists with a different ticketTypeId, quantity, publicKey`)
    assert.deepEqual(error.details, { fields: ['ticketTypeId', 'quantity', 'publicKey'] })
    const stored = await getStatus(api, batch.id)
    assert.equal(stored.quantity, 120)
    assert.equal(stored.publicKey, batch.body.publicKey)
  })

  const invalid: [string, (body: Record<string, any>) => unknown, RegExp][] = [
    ['an upper-case id', (b) => ({ ...b, id: b.id.toUpperCase() }), /^body\/id must match pattern/],
    ['a missing ticket type', ({ ticketTypeId: _type, ...rest }) => rest, /^body must have required properties ticketTypeId$/],
    [
      'an upper-case ticket type id',
      (b) => ({ ...b, ticketTypeId: b.ticketTypeId.toUpperCase() }),
      /^body\/ticketTypeId must match pattern/,
    ],
    // The fields a batch had before events: the ticket type decides them now.
    ['an event name', (b) => ({ ...b, event: 'Gala' }), /^body\/event is not allowed$/],
    ['a quantity of 0', (b) => ({ ...b, quantity: 0 }), /^body\/quantity must be >= 1$/],
    ['a quantity over 1,000,000', (b) => ({ ...b, quantity: 1_000_001 }), /^body\/quantity must be <= 1000000$/],
    ['a quantity given as a string', (b) => ({ ...b, quantity: '10' }), /^body\/quantity must be integer$/],
    ['a price', (b) => ({ ...b, price: { amountMinor: 1, currency: 'EUR' } }), /^body\/price is not allowed$/],
    ['an unknown property', (b) => ({ ...b, colour: 'red' }), /^body\/colour is not allowed$/],
    ['a public key of the wrong length', (b) => ({ ...b, publicKey: 'abc' }), /^body\/publicKey must match pattern/],
  ]
  for (const [name, mutate, message] of invalid) {
    test(`a body with ${name} is 400 INVALID_REQUEST naming the field, and creates nothing`, async (t) => {
      const { api } = await buildTestApp(t)
      const batch = await makeTestBatch()
      const response = await createBatch(api, mutate(batch.body))
      assert.equal(response.statusCode, 400)
      const error = errorOf(response)
      assert.equal(error.code, 'INVALID_REQUEST')
      assert.match(error.message, message)
      const list = await api.inject({ method: 'GET', url: '/api/batches' })
      assert.deepEqual(list.json().batches, [])
    })
  }

  test('a public key that is not an Ed25519 point is 400 INVALID_PUBLIC_KEY, and creates nothing', async (t) => {
    const { api } = await buildTestApp(t)
    const batch = await makeTestBatch({ publicKey: Buffer.alloc(32, 2).toString('base64url') })
    const response = await createBatch(api, batch.body)
    assert.equal(response.statusCode, 400)
    assert.equal(errorOf(response).code, 'INVALID_PUBLIC_KEY')
    assert.match(errorOf(response).message, /not a point on the Ed25519 curve/)
    assert.equal((await api.inject({ method: 'GET', url: `/api/batches/${batch.id}` })).statusCode, 404)
  })

  test('every encoding of a small-order Ed25519 point is 400 INVALID_PUBLIC_KEY, and creates nothing', async (t) => {
    const { api } = await buildTestApp(t)
    assert.equal(SMALL_ORDER_KEYS.length, 14)
    for (const { name, publicKey } of SMALL_ORDER_KEYS) {
      const batch = await makeTestBatch({ publicKey })
      const response = await createBatch(api, batch.body)
      assert.equal(response.statusCode, 400, `${name}: ${response.body}`)
      assert.equal(errorOf(response).code, 'INVALID_PUBLIC_KEY', name)
      assert.match(errorOf(response).message, /small-order point/, name)
    }
    assert.deepEqual((await api.inject({ method: 'GET', url: '/api/batches' })).json().batches, [])
  })
})

describe('GET /api/batches', () => {
  test('lists batches newest first, filters by state and honours limit', async (t) => {
    const { api } = await buildTestApp(t)
    const ids: string[] = []
    for (let i = 0; i < 3; i++) {
      const batch = await makeTestBatch()
      await createBatch(api, batch.body)
      ids.push(batch.id)
    }
    await api.inject({ method: 'POST', url: `/api/batches/${ids[0]}/cancel` })

    const all = await api.inject({ method: 'GET', url: '/api/batches' })
    assert.equal(all.statusCode, 200)
    assert.deepEqual(
      all.json().batches.map((b: { id: string }) => b.id),
      [ids[2], ids[1], ids[0]],
    )
    assert.equal('committedChunks' in all.json().batches[0], false, 'the list carries summaries')

    const cancelled = await api.inject({ method: 'GET', url: '/api/batches?state=cancelled' })
    assert.deepEqual(
      cancelled.json().batches.map((b: { id: string }) => b.id),
      [ids[0]],
    )
    const limited = await api.inject({ method: 'GET', url: '/api/batches?limit=1' })
    assert.deepEqual(
      limited.json().batches.map((b: { id: string }) => b.id),
      [ids[2]],
    )
  })

  test('an unknown state or a limit out of range is 400 INVALID_REQUEST naming the parameter', async (t) => {
    const { api } = await buildTestApp(t)
    for (const [query, field] of [
      ['state=closed', 'querystring/state'],
      ['limit=0', 'querystring/limit'],
      ['limit=501', 'querystring/limit'],
      ['limit=x', 'querystring/limit'],
    ]) {
      const response = await api.inject({ method: 'GET', url: `/api/batches?${query}` })
      assert.equal(response.statusCode, 400, query)
      assert.equal(errorOf(response).code, 'INVALID_REQUEST')
      assert.ok(errorOf(response).message.startsWith(field!), errorOf(response).message)
    }
  })
})

describe('GET /api/batches/:id', () => {
  test('an unknown batch is 404 BATCH_NOT_FOUND; a malformed id is 400', async (t) => {
    const { api } = await buildTestApp(t)
    const missing = await api.inject({ method: 'GET', url: `/api/batches/${crypto.randomUUID()}` })
    assert.equal(missing.statusCode, 404)
    assert.equal(errorOf(missing).code, 'BATCH_NOT_FOUND')
    const malformed = await api.inject({ method: 'GET', url: '/api/batches/not-a-uuid' })
    assert.equal(malformed.statusCode, 400)
    assert.match(errorOf(malformed).message, /^params\/id must match pattern/)
  })

  test('committed chunks are reported as sorted inclusive ranges', async (t) => {
    const { api } = await buildTestApp(t)
    const batch = await makeTestBatch({ quantity: 500 })
    await createWithChunks(api, batch, [7, 0, 1, 2, 5, 9])
    const status = await getStatus(api, batch.id)
    assert.deepEqual(status.committedChunks, [
      [0, 2],
      [5, 5],
      [7, 7],
      [9, 9],
    ])
    assert.equal(status.chunksReceived, 6)
    assert.equal(status.ticketsReceived, 300)
  })
})
