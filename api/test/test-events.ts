// The events and ticket types tests make their batches for. Every batch belongs to a ticket type
// of an event; a test that is about something else gets one with room for any batch, under ids
// derived from its names, so that the same names always mean the same type.
import { MAX_CAPACITY, type Price } from '@boxoffice/tickets'
import { testEventBody, uuidFrom } from '@boxoffice/testkit/test-events'
import type { EventRepository } from '../src/db/event-repository.ts'
import type { BatchRecord, NewBatch, TicketRepository } from '../src/db/ticket-repository.ts'

export interface TestTicketType {
  eventId: string
  eventName: string
  ticketTypeId: string
  name: string
  price: Price
  capacity: number
}

/** The type named so, in the event named so; its capacity is the most any type may have, unless given. */
export function testTicketType(
  eventName = 'Spring Gala 2026',
  name = 'General admission',
  price: Price = { amountMinor: 4500, currency: 'EUR' },
  capacity = MAX_CAPACITY,
): TestTicketType {
  return {
    eventId: uuidFrom(`event ${eventName}`),
    eventName,
    ticketTypeId: uuidFrom(`type ${eventName} / ${name} / ${price.amountMinor} ${price.currency} / ${capacity}`),
    name,
    price,
    capacity,
  }
}

/** The default type, which every storage and app the tests open holds from the start. */
export const DEFAULT_TEST_TYPE = testTicketType()

/** The body of POST /api/events that creates `type` (and only it) in its event. */
export function eventBodyOf(type: TestTicketType) {
  return testEventBody(type.eventName, {
    id: type.eventId,
    ticketTypes: [{ id: type.ticketTypeId, name: type.name, price: type.price, capacity: type.capacity }],
  })
}

/** Creates the type (and its event, if new) straight in the repository; harmless when it exists. */
export async function addTestTicketType(events: EventRepository, type: TestTicketType = DEFAULT_TEST_TYPE): Promise<void> {
  const body = eventBodyOf(type)
  const result = await events.createEvent({
    ...body,
    createdAt: new Date().toISOString(),
    createdBy: null,
    ticketTypes: [],
  })
  if (result.outcome === 'ticket-type-taken') throw new Error('unreachable: no types were given')
  if (result.event.ticketTypes.some((stored) => stored.id === type.ticketTypeId)) return
  const put = await events.putTicketType({
    id: type.ticketTypeId,
    eventId: type.eventId,
    name: type.name,
    priceMinor: type.price.amountMinor,
    currency: type.price.currency,
    capacity: type.capacity,
  })
  if (put.outcome !== 'created' && put.outcome !== 'updated') throw new Error(`test ticket type ${type.name}: ${put.outcome}`)
}

/** createBatch that must store the batch; the stored record. */
export async function createdBatch(tickets: TicketRepository, batch: NewBatch): Promise<BatchRecord> {
  const result = await tickets.createBatch(batch)
  if (result.outcome !== 'created') throw new Error(`batch ${batch.id} was not created: ${result.outcome}`)
  return result.batch
}
