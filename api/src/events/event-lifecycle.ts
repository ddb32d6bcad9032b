// Creating and editing events and their ticket types. Creation is idempotent by the client's id:
// a replay returns what is stored, a different event under the same id is a conflict.
import type { CreateEventBody, EventView, TicketTypeBody, TicketTypeView, UpdateEventBody } from '@boxoffice/tickets'
import type { SignedInAccount } from '../auth/sessions.ts'
import type { EventRepository, EventWithTypes } from '../db/event-repository.ts'
import { CapacityBelowIssued, EventConflict, EventNotFound, InvalidRequest, TicketTypeConflict, withDetails } from '../errors.ts'
import { assertLocalDateTime, assertTimeZone } from './event-fields.ts'
import { toEventView, toTicketTypeView } from './event-view.ts'

export async function createEvent(
  events: EventRepository,
  body: CreateEventBody,
  account: SignedInAccount,
): Promise<{ created: boolean; event: EventView }> {
  assertTimeZone(body.timeZone, 'body/timeZone')
  assertLocalDateTime(body.startsAt, 'body/startsAt')
  assertDistinct(
    body.ticketTypes.map((type) => type.id),
    'id',
  )
  assertDistinct(
    body.ticketTypes.map((type) => type.name),
    'name',
  )
  const result = await events.createEvent({
    id: body.id,
    name: body.name,
    startsAt: body.startsAt,
    timeZone: body.timeZone,
    venue: body.venue,
    createdAt: new Date().toISOString(),
    createdBy: account.id,
    ticketTypes: body.ticketTypes.map((type) => ({
      id: type.id,
      eventId: body.id,
      name: type.name,
      priceMinor: type.price.amountMinor,
      currency: type.price.currency,
      capacity: type.capacity,
    })),
  })
  switch (result.outcome) {
    case 'ticket-type-taken':
      throw withDetails(new TicketTypeConflict(`ticket type ${result.ticketTypeId} belongs to another event`), {
        ticketTypeId: result.ticketTypeId,
      })
    case 'created':
      return { created: true, event: toEventView(result.event) }
    case 'existing': {
      const fields = differingEventFields(result.event, body)
      if (fields.length > 0) {
        throw withDetails(new EventConflict(`event ${body.id} already exists with a different ${fields.join(', ')}`), { fields })
      }
      return { created: false, event: toEventView(result.event) }
    }
  }
}

/** The request fields whose value differs from the stored event (its types by id, name, price and capacity). */
function differingEventFields(event: EventWithTypes, body: CreateEventBody): string[] {
  const fields = (['name', 'startsAt', 'timeZone', 'venue'] as const).filter((field) => event[field] !== body[field])
  const stored = event.ticketTypes.map((t) => `${t.id}|${t.name}|${t.priceMinor}|${t.currency}|${t.capacity}`).join('\n')
  const asked = body.ticketTypes.map((t) => `${t.id}|${t.name}|${t.price.amountMinor}|${t.price.currency}|${t.capacity}`).join('\n')
  return stored === asked ? fields : [...fields, 'ticketTypes']
}

function assertDistinct(values: readonly string[], field: string) {
  const seen = new Set<string>()
  values.forEach((value, index) => {
    if (seen.has(value)) throw new InvalidRequest(`body/ticketTypes/${index}/${field} ${JSON.stringify(value)} is listed twice`)
    seen.add(value)
  })
}

export async function getEvent(events: EventRepository, id: string): Promise<EventWithTypes> {
  const event = await events.getEvent(id)
  if (!event) throw new EventNotFound(`event ${id} not found`)
  return event
}

export async function updateEvent(events: EventRepository, id: string, changes: UpdateEventBody): Promise<EventView> {
  if (changes.timeZone !== undefined) assertTimeZone(changes.timeZone, 'body/timeZone')
  if (changes.startsAt !== undefined) assertLocalDateTime(changes.startsAt, 'body/startsAt')
  const event = await events.updateEvent(id, changes)
  if (!event) throw new EventNotFound(`event ${id} not found`)
  return toEventView(event)
}

/** Adds or changes a ticket type. Its name must be unique in the event; its capacity may not drop below what it has issued. */
export async function putTicketType(
  events: EventRepository,
  eventId: string,
  typeId: string,
  body: TicketTypeBody,
): Promise<{ created: boolean; ticketType: TicketTypeView }> {
  const event = await getEvent(events, eventId)
  if (event.ticketTypes.some((type) => type.name === body.name && type.id !== typeId)) {
    throw withDetails(new TicketTypeConflict(`event ${event.name} already has a ticket type named ${JSON.stringify(body.name)}`), {
      fields: ['name'],
    })
  }
  const result = await events.putTicketType({
    id: typeId,
    eventId,
    name: body.name,
    priceMinor: body.price.amountMinor,
    currency: body.price.currency,
    capacity: body.capacity,
  })
  switch (result.outcome) {
    case 'event-not-found':
      throw new EventNotFound(`event ${eventId} not found`)
    case 'other-event':
      throw withDetails(new TicketTypeConflict(`ticket type ${typeId} belongs to another event`), { ticketTypeId: typeId })
    case 'below-issued':
      throw withDetails(
        new CapacityBelowIssued(
          `${result.issued.toLocaleString('en-US')} tickets of this type are already issued; the capacity cannot be lower than that`,
        ),
        { issued: result.issued },
      )
    case 'created':
    case 'updated':
      return { created: result.outcome === 'created', ticketType: toTicketTypeView(result.ticketType) }
  }
}
