// Events, ticket types with capacity, batches that reserve it, and the door dashboard, through the
// API on each backend (the test command runs this file on SQLite and on PostgreSQL).
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { CreateEventBody } from '@boxoffice/tickets'
import { completedBatch } from './completed-batch.ts'
import { addTestAccount, buildTestApp, createBatch, errorOf, makeTestBatch, openApp, signIn, testDatabase, type Client } from './helper.ts'
import { testEventBody } from '@boxoffice/testkit/test-events'
import { testTicketType } from './test-events.ts'

function eventBody(overrides: Partial<CreateEventBody> = {}): CreateEventBody {
  return testEventBody('Stadium night', {
    id: crypto.randomUUID(),
    venue: 'Olympiastadion',
    ticketTypes: [
      { id: crypto.randomUUID(), name: 'Standing', price: { amountMinor: 4000, currency: 'EUR' }, capacity: 40_000 },
      { id: crypto.randomUUID(), name: 'Seated', price: { amountMinor: 6500, currency: 'EUR' }, capacity: 20_000 },
    ],
    ...overrides,
  })
}

async function post(api: Client, url: string, payload: object) {
  return api.inject({ method: 'POST', url, payload })
}

async function putType(api: Client, eventId: string, typeId: string, payload: object) {
  return api.inject({ method: 'PUT', url: `/api/events/${eventId}/ticket-types/${typeId}`, payload })
}

/** A batch body for `typeId` (its key does not matter until chunks are uploaded). */
async function batchFor(typeId: string, quantity: number) {
  const { body } = await makeTestBatch({ quantity })
  return { ...body, ticketTypeId: typeId }
}

describe('events and ticket types', () => {
  test('an event is created with its types, replayed as 200, and refused under its id with other fields', async (t) => {
    const { api } = await buildTestApp(t)
    const body = eventBody()
    const created = await post(api, '/api/events', body)
    assert.equal(created.statusCode, 201, created.body)
    const event = created.json()
    assert.deepEqual(
      event.ticketTypes.map((type: any) => [type.name, type.capacity, type.issued, type.remaining, type.eventId]),
      [
        ['Standing', 40_000, 0, 40_000, body.id],
        ['Seated', 20_000, 0, 20_000, body.id],
      ],
    )
    assert.deepEqual([event.name, event.startsAt, event.timeZone, event.venue], [body.name, body.startsAt, body.timeZone, body.venue])
    assert.equal((await post(api, '/api/events', body)).statusCode, 200)
    const clash = await post(api, '/api/events', { ...body, venue: 'Elsewhere' })
    assert.equal(clash.statusCode, 409)
    assert.deepEqual([errorOf(clash).code, errorOf(clash).details.fields], ['EVENT_CONFLICT', ['venue']])
    const listed = (await api.inject({ method: 'GET', url: '/api/events' })).json().events
    assert.ok(listed.some((listedEvent: any) => listedEvent.id === body.id))
    assert.equal((await api.inject({ method: 'GET', url: `/api/events/${body.id}` })).json().name, 'Stadium night')
  })

  test('an unknown time zone, an impossible date, a twice-listed type and an unknown event are refused by name', async (t) => {
    const { api } = await buildTestApp(t)
    const zone = await post(api, '/api/events', eventBody({ timeZone: 'Mars/Olympus' }))
    assert.equal(zone.statusCode, 400)
    assert.match(errorOf(zone).message, /^body\/timeZone "Mars\/Olympus" is not a time zone/)
    const date = await post(api, '/api/events', eventBody({ startsAt: '2026-02-30T20:00' }))
    assert.equal(date.statusCode, 400)
    assert.match(errorOf(date).message, /^body\/startsAt "2026-02-30T20:00" is not a valid date and time/)
    const type = { id: crypto.randomUUID(), name: 'Standing', price: { amountMinor: 1, currency: 'EUR' }, capacity: 1 }
    const twice = await post(api, '/api/events', eventBody({ ticketTypes: [type, { ...type, id: crypto.randomUUID() }] }))
    assert.equal(twice.statusCode, 400)
    assert.match(errorOf(twice).message, /^body\/ticketTypes\/1\/name "Standing" is listed twice/)
    const missing = await api.inject({ method: 'GET', url: `/api/events/${crypto.randomUUID()}` })
    assert.deepEqual([missing.statusCode, errorOf(missing).code], [404, 'EVENT_NOT_FOUND'])
    const stray = await putType(api, crypto.randomUUID(), crypto.randomUUID(), {
      name: 'A',
      price: { amountMinor: 0, currency: 'EUR' },
      capacity: 1,
    })
    assert.deepEqual([stray.statusCode, errorOf(stray).code], [404, 'EVENT_NOT_FOUND'])
  })

  test('an event is edited field by field, and a type is added, renamed and its capacity changed', async (t) => {
    const { api } = await buildTestApp(t)
    const body = eventBody()
    await post(api, '/api/events', body)
    const patched = await api.inject({
      method: 'PATCH',
      url: `/api/events/${body.id}`,
      payload: { venue: 'Waldbühne', startsAt: '2027-01-01T19:00' },
    })
    assert.equal(patched.statusCode, 200, patched.body)
    assert.deepEqual(
      [patched.json().name, patched.json().venue, patched.json().startsAt],
      ['Stadium night', 'Waldbühne', '2027-01-01T19:00'],
    )
    const added = await putType(api, body.id, crypto.randomUUID(), {
      name: 'VIP',
      price: { amountMinor: 25_000, currency: 'EUR' },
      capacity: 200,
    })
    assert.equal(added.statusCode, 201, added.body)
    const typeId = body.ticketTypes[0]!.id
    const changed = await putType(api, body.id, typeId, {
      name: 'Standing (front)',
      price: { amountMinor: 4500, currency: 'EUR' },
      capacity: 45_000,
    })
    assert.equal(changed.statusCode, 200, changed.body)
    assert.deepEqual([changed.json().name, changed.json().capacity, changed.json().remaining], ['Standing (front)', 45_000, 45_000])
    const sameName = await putType(api, body.id, typeId, { name: 'Seated', price: { amountMinor: 1, currency: 'EUR' }, capacity: 1 })
    assert.deepEqual([sameName.statusCode, errorOf(sameName).code], [409, 'TICKET_TYPE_CONFLICT'])
    const other = eventBody()
    await post(api, '/api/events', other)
    const stolen = await putType(api, other.id, typeId, { name: 'Mine', price: { amountMinor: 1, currency: 'EUR' }, capacity: 1 })
    assert.deepEqual([stolen.statusCode, errorOf(stolen).code], [409, 'TICKET_TYPE_CONFLICT'])
  })
})

describe('capacity', () => {
  test('a batch reserves its quantity; one that does not fit is refused with what is left, and nothing is stored', async (t) => {
    const { api } = await buildTestApp(t)
    const body = eventBody()
    await post(api, '/api/events', body)
    const typeId = body.ticketTypes[1]!.id
    await putType(api, body.id, typeId, { name: 'Seated', price: { amountMinor: 6500, currency: 'EUR' }, capacity: 100 })

    const first = await createBatch(api, await batchFor(typeId, 60))
    assert.equal(first.statusCode, 201, first.body)
    assert.deepEqual(
      [first.json().event, first.json().ticketType, first.json().price, first.json().ticketTypeId, first.json().eventId],
      ['Stadium night', 'Seated', { amountMinor: 6500, currency: 'EUR' }, typeId, body.id],
    )
    const tooMany = await createBatch(api, await batchFor(typeId, 41))
    assert.equal(tooMany.statusCode, 409)
    assert.equal(errorOf(tooMany).code, 'CAPACITY_EXCEEDED')
    assert.deepEqual(errorOf(tooMany).details, { remaining: 40, capacity: 100, ticketTypeId: typeId })
    assert.match(errorOf(tooMany).message, /^41 tickets do not fit: the ticket type has a capacity of 100 and only 40 are left$/)
    const type = () => api.inject({ method: 'GET', url: `/api/events/${body.id}` }).then((r) => r.json().ticketTypes[1])
    assert.deepEqual([(await type()).issued, (await type()).remaining], [60, 40])

    const replay = await createBatch(api, { ...(await batchFor(typeId, 60)), id: first.json().id, publicKey: first.json().publicKey })
    assert.equal(replay.statusCode, 200, replay.body)
    assert.equal((await type()).issued, 60, 'a replay reserves nothing')
    const rest = await createBatch(api, await batchFor(typeId, 40))
    assert.equal(rest.statusCode, 201)
    const none = await createBatch(api, await batchFor(typeId, 1))
    assert.deepEqual([errorOf(none).code, errorOf(none).details.remaining], ['CAPACITY_EXCEEDED', 0])
    assert.match(errorOf(none).message, /and none is left$/)
    const unknown = await createBatch(api, await batchFor(crypto.randomUUID(), 1))
    assert.deepEqual([unknown.statusCode, errorOf(unknown).code], [404, 'TICKET_TYPE_NOT_FOUND'])
  })

  test('lowering a capacity below what is issued is refused; to exactly that is fine', async (t) => {
    const { api } = await buildTestApp(t)
    const body = eventBody()
    await post(api, '/api/events', body)
    const typeId = body.ticketTypes[0]!.id
    assert.equal((await createBatch(api, await batchFor(typeId, 12_000))).statusCode, 201)
    const lower = await putType(api, body.id, typeId, { name: 'Standing', price: { amountMinor: 4000, currency: 'EUR' }, capacity: 11_999 })
    assert.equal(lower.statusCode, 409)
    assert.deepEqual([errorOf(lower).code, errorOf(lower).details], ['CAPACITY_BELOW_ISSUED', { issued: 12_000 }])
    assert.match(errorOf(lower).message, /^12,000 tickets of this type are already issued; the capacity cannot be lower than that$/)
    const exact = await putType(api, body.id, typeId, { name: 'Standing', price: { amountMinor: 4000, currency: 'EUR' }, capacity: 12_000 })
    assert.deepEqual([exact.statusCode, exact.json().remaining], [200, 0])
  })

  test('a cancelled batch gives back the tickets it never uploaded, and keeps those it did', async (t) => {
    const { api } = await buildTestApp(t)
    const type = testTicketType('Small club', 'Door', { amountMinor: 1500, currency: 'EUR' }, 200)
    const batch = await makeTestBatch({ event: type.eventName, ticketType: type.name, price: type.price, quantity: 150 })
    // makeTestBatch's type has the largest capacity; this test's has 200.
    const body = { ...batch.body, ticketTypeId: type.ticketTypeId }
    await post(api, '/api/events', {
      id: type.eventId,
      name: type.eventName,
      startsAt: '2026-06-01T21:00',
      timeZone: 'UTC',
      venue: '',
      ticketTypes: [{ id: type.ticketTypeId, name: type.name, price: type.price, capacity: 200 }],
    })
    assert.equal((await createBatch(api, body)).statusCode, 201)
    for (const index of [0, 1]) {
      const chunk = await api.inject({ method: 'PUT', url: `/api/batches/${body.id}/chunks/${index}`, payload: await batch.chunk(index) })
      assert.equal(chunk.statusCode, 200, chunk.body)
    }
    assert.equal((await post(api, `/api/batches/${body.id}/cancel`, {})).statusCode, 200)
    const stored = (await api.inject({ method: 'GET', url: `/api/events/${type.eventId}` })).json().ticketTypes[0]
    assert.deepEqual([stored.issued, stored.remaining], [100, 100])
    assert.equal((await post(api, `/api/batches/${body.id}/cancel`, {})).statusCode, 200, 'a replayed cancel gives back nothing more')
    assert.equal((await api.inject({ method: 'GET', url: `/api/events/${type.eventId}` })).json().ticketTypes[0].issued, 100)
  })

  test('8 box offices on two server instances race for the last 1,000 seats: never more than 1,000 are admitted', async (t) => {
    const database = await testDatabase(t)
    const apps = [await openApp(t, database), await openApp(t, database)]
    const offices: Client[] = []
    for (let office = 0; office < 8; office++) {
      await addTestAccount(apps[0]!, `office${office}`)
      offices.push((await signIn(apps[office % 2]!, `office${office}`)).api)
    }
    const rounds: { admitted: number; refusals: number }[] = []
    for (const [round, quantities] of [
      [300, 250, 200, 400, 150, 350, 100, 500],
      [125, 125, 125, 125, 125, 125, 125, 125],
      [1000, 1000, 1, 999, 500, 500, 2, 998],
      [140, 160, 130, 170, 120, 180, 110, 190],
    ].entries()) {
      // 39,000 of a 40,000-seat type are issued already.
      const body = eventBody({ name: `Race ${round}` })
      const typeId = body.ticketTypes[0]!.id
      assert.equal((await post(offices[0]!, '/api/events', body)).statusCode, 201)
      assert.equal((await createBatch(offices[0]!, await batchFor(typeId, 39_000))).statusCode, 201)

      const bodies = await Promise.all(quantities.map((quantity) => batchFor(typeId, quantity)))
      const answers = await Promise.all(bodies.map((batch, office) => createBatch(offices[office]!, batch)))
      const admittedSum = answers.reduce((sum, answer, office) => sum + (answer.statusCode === 201 ? quantities[office]! : 0), 0)
      const refused = answers.flatMap((answer, office) => (answer.statusCode === 201 ? [] : [{ answer, asked: quantities[office]! }]))
      assert.ok(admittedSum <= 1000, `round ${round}: ${admittedSum} admitted`)
      for (const { answer, asked } of refused) {
        assert.equal(answer.statusCode, 409, answer.body)
        const { code, details } = errorOf(answer)
        assert.equal(code, 'CAPACITY_EXCEEDED')
        // What was left when it was refused: less than it asked, no less than is left in the end.
        assert.ok(
          details.remaining < asked && details.remaining >= 1000 - admittedSum,
          `round ${round}: ${JSON.stringify(details)} for ${asked}`,
        )
      }
      const type = (await offices[1]!.inject({ method: 'GET', url: `/api/events/${body.id}` })).json().ticketTypes[0]
      assert.deepEqual([type.issued, type.remaining], [39_000 + admittedSum, 1000 - admittedSum])
      // Nothing a refusal was stored: the next office is told exactly what is left.
      const probe = await createBatch(offices[2]!, await batchFor(typeId, 1000 - admittedSum + 1))
      assert.equal(errorOf(probe).details.remaining, 1000 - admittedSum)
      rounds.push({ admitted: admittedSum, refusals: refused.length })
    }
    assert.equal(rounds[1]!.admitted, 1000, 'eight batches of 125 fit exactly')
    t.diagnostic(`capacity race: ${rounds.map((r) => `${r.admitted} admitted, ${r.refusals} refused`).join('; ')}`)
  })
})

describe('door dashboard', () => {
  test('counts per type and in total, and check-ins per 5 minutes, from the counters', async (t) => {
    const { api } = await buildTestApp(t)
    const standing = await completedBatch(api, { event: 'Dashboard night', ticketType: 'Standing', quantity: 100 })
    const seated = await completedBatch(api, { event: 'Dashboard night', ticketType: 'Seated', quantity: 50 })
    const eventId = standing.type.eventId
    const scans = [
      [standing, 0, '2026-05-01T19:01:10.000Z'],
      [standing, 1, '2026-05-01T19:04:59.999Z'],
      [standing, 2, '2026-05-01T19:05:00.000Z'],
      [seated, 0, '2026-05-01T19:12:00.000Z'],
    ] as const
    for (const [batch, serial, checkedInAt] of scans) {
      const answer = await post(api, '/api/checkins', { token: await batch.token(serial), checkedInAt, eventId })
      assert.equal(answer.json().result, 'valid', answer.body)
    }
    // A repeat scan counts once.
    await post(api, '/api/checkins', { token: await standing.token(0), eventId })
    await post(api, `/api/batches/${standing.id}/tickets/5/revoke`, { reason: 'refunded' })
    await post(api, `/api/batches/${seated.id}/revoke`, {})
    await post(api, `/api/batches/${seated.id}/tickets/3/revoke`, {})

    const response = await api.inject({ method: 'GET', url: `/api/events/${eventId}/dashboard` })
    assert.equal(response.statusCode, 200, response.body)
    const dashboard = response.json()
    assert.equal(dashboard.event.name, 'Dashboard night')
    const capacity = standing.type.capacity
    assert.deepEqual(
      dashboard.ticketTypes.map(({ name, issued, onServer, checkedIn, revoked }: any) => [name, issued, onServer, checkedIn, revoked]),
      [
        ['Standing', 100, 100, 3, 1],
        ['Seated', 50, 50, 1, 50],
      ],
    )
    assert.deepEqual(dashboard.total, { capacity: capacity * 2, issued: 150, onServer: 150, checkedIn: 4, revoked: 51 })
    assert.deepEqual(dashboard.checkinsPer5Minutes, [
      { start: '2026-05-01T19:00:00.000Z', count: 2 },
      { start: '2026-05-01T19:05:00.000Z', count: 1 },
      { start: '2026-05-01T19:10:00.000Z', count: 1 },
    ])
    const unknown = await api.inject({ method: 'GET', url: `/api/events/${crypto.randomUUID()}/dashboard` })
    assert.equal(unknown.statusCode, 404)
  })
})

describe('check-in by event', () => {
  test('a good ticket of another event is refused as "Wrong event: <name>" online and in a sync; without an event any is admitted', async (t) => {
    const { api } = await buildTestApp(t)
    const tonight = await completedBatch(api, { event: 'Tonight', quantity: 50 })
    const lastWeek = await completedBatch(api, { event: 'Last week', quantity: 50 })
    const eventId = tonight.type.eventId
    const wrong = (await post(api, '/api/checkins', { token: await lastWeek.token(1), eventId })).json()
    assert.deepEqual(
      [wrong.result, wrong.reason, wrong.message, wrong.ticket.batchId],
      ['invalid', 'WRONG_EVENT', 'Wrong event: Last week', lastWeek.id],
    )
    assert.equal((await post(api, '/api/checkins', { token: await tonight.token(1), eventId })).json().result, 'valid')
    const synced = await post(api, '/api/checkins/sync', {
      deviceId: 'gate-7',
      eventId,
      checkins: [
        { token: await lastWeek.token(2), checkedInAt: '2026-05-01T19:00:00.000Z' },
        { token: await tonight.token(2), checkedInAt: '2026-05-01T19:00:01.000Z' },
      ],
    })
    assert.deepEqual(
      synced.json().results.map((result: any) => [result.result, result.message]),
      [
        ['invalid', 'Wrong event: Last week'],
        ['accepted', undefined],
      ],
    )
    assert.equal((await post(api, '/api/checkins', { token: await lastWeek.token(1) })).json().result, 'valid', 'no event: any event')
  })

  test("the kit is the event's: its completed batches, and other events' batches by name only", async (t) => {
    const { api } = await buildTestApp(t)
    const tonight = await completedBatch(api, { event: 'Tonight', quantity: 50 })
    const lastWeek = await completedBatch(api, { event: 'Last week', quantity: 50 })
    const open = await makeTestBatch({ event: 'Tonight', quantity: 50 })
    await createBatch(api, open.body)
    await post(api, `/api/batches/${tonight.id}/tickets/4/revoke`, {})
    const kit = (await api.inject({ method: 'GET', url: `/api/checkin-kit?eventId=${tonight.type.eventId}` })).json()
    assert.deepEqual(kit.event, { id: tonight.type.eventId, name: 'Tonight' })
    assert.deepEqual(
      kit.batches.map((batch: any) => [batch.id, batch.eventId, batch.revokedSerials]),
      [[tonight.id, tonight.type.eventId, [[4, 4]]]],
    )
    assert.deepEqual(kit.otherBatches, [{ id: lastWeek.id, event: 'Last week' }])
    const unknown = await api.inject({ method: 'GET', url: `/api/checkin-kit?eventId=${crypto.randomUUID()}` })
    assert.deepEqual([unknown.statusCode, errorOf(unknown).code], [404, 'EVENT_NOT_FOUND'])
  })
})
