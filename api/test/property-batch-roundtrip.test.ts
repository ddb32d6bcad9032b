// Property: any batch the schema admits can be created, replayed, filled and verified, and the
// server gives back exactly the fields it was sent, whatever Unicode they hold. A field the
// server stored differently from what it was sent would turn the client's identical replay into
// a 409, and a ticket type decoded differently from the one signed would refuse every ticket.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { chunkCount, MAX_EVENT_LENGTH, MAX_PRICE_MINOR, MAX_TICKET_TYPE_LENGTH } from '@boxoffice/tickets'
import { buildTestApp, createBatch, databaseSnapshot, errorOf, getStatus, makeTestBatch, putChunk, verifyToken } from './helper.ts'
import { eventBodyOf } from './test-events.ts'

/** Every code point, plus the awkward ones: lone surrogates, a byte-order mark, NUL, controls, combining marks. */
const unicodeUnit = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('\ud800', '\udc00', '\udbff', '\ufeff', '\u0000', '\u0007', '\u0301', '\u00a0', '\u2028', '"', '\\'),
  },
)

const text = (maxLength: number) =>
  fc.string({ unit: unicodeUnit, minLength: 1, maxLength }).filter((value) => value.length <= maxLength && /\S/.test(value))

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

// No id: each case takes a fresh random one, so that shrinking never replays an earlier case's batch.
const plain = { noNullPrototype: true }
const batchFields = fc.record(
  {
    event: text(MAX_EVENT_LENGTH),
    ticketType: text(MAX_TICKET_TYPE_LENGTH),
    price: fc.record({ amountMinor: fc.nat({ max: MAX_PRICE_MINOR }), currency: fc.stringMatching(/^[A-Z]{3}$/) }, plain),
    quantity: fc.integer({ min: 1, max: 60 }),
  },
  plain,
)

test('a ticket type with any valid fields makes batches stored as sent, replaying as 200, taking their tickets and verifying them', async (t) => {
  const { api, database } = await buildTestApp(t)
  let created = 0
  await fc.assert(
    fc.asyncProperty(batchFields, async (fields) => {
      const { quantity: asked, ...named } = fields
      const batch = await makeTestBatch({ ...named, quantity: asked }) // a new id and key, signing for the fields given
      const body = batch.body
      const madeEvent = await api.inject({ method: 'POST', url: '/api/events', payload: eventBodyOf(batch.type) })
      if ([fields.event, fields.ticketType].some((field) => LONE_SURROGATE.test(field) || field.includes('\u0000'))) {
        // Not well-formed Unicode, which no database or browser could store as sent; or NUL, which
        // PostgreSQL cannot store in text (both backends refuse it alike).
        assert.equal(madeEvent.statusCode, 400, madeEvent.body)
        assert.equal(errorOf(madeEvent).code, 'INVALID_REQUEST')
        assert.match(
          errorOf(madeEvent).message,
          /^body\/(name|ticketTypes\/0\/name) (must be well-formed Unicode|must not contain the NUL character)/,
        )
        return
      }
      // 409: an earlier case made an event of the same name with another type; createBatch adds this one.
      assert.ok([200, 201, 409].includes(madeEvent.statusCode), madeEvent.body)
      const first = await createBatch(api, body)
      assert.equal(first.statusCode, 201, first.body)
      created++
      const sent = { event: fields.event, ticketType: fields.ticketType, price: fields.price, quantity: body.quantity }
      const { event, ticketType, price, quantity } = first.json()
      assert.deepEqual({ event, ticketType, price, quantity }, sent)

      const replay = await createBatch(api, body)
      assert.equal(replay.statusCode, 200, replay.body)

      for (let index = 0; index < chunkCount(body.quantity); index++) {
        const response = await putChunk(api, body.id, index, await batch.chunk(index))
        assert.equal(response.statusCode, 200, response.body)
      }
      const verdict = await verifyToken(api, await batch.token(body.quantity - 1))
      assert.equal(verdict.valid, true, JSON.stringify(verdict))
      assert.deepEqual([verdict.ticket.event, verdict.ticket.ticketType], [fields.event, fields.ticketType])
      const status = await getStatus(api, body.id)
      assert.deepEqual([status.event, status.ticketType, status.ticketsReceived], [fields.event, fields.ticketType, body.quantity])
    }),
    {
      includeErrorInReport: true,
      numRuns: 120,
      examples: [
        [{ event: 'Gala\u0007night\u2028', ticketType: '\ufeffVIP', price: { amountMinor: 0, currency: 'EUR' }, quantity: 1 }],
        [{ event: 'Gala\u0000night', ticketType: 'VIP', price: { amountMinor: 0, currency: 'EUR' }, quantity: 1 }],
        // Two halves of one surrogate pair, one in each field: each field is malformed on its own.
        [{ event: 'Gala \ud800', ticketType: '\udc00', price: { amountMinor: 0, currency: 'EUR' }, quantity: 1 }],
      ],
    },
  )
  assert.ok(created > 50, `${created} batches were valid`)
  assert.equal((await databaseSnapshot(database)).batches.length, created)
})
