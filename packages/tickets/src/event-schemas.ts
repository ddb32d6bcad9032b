// Wire contract of events, their ticket types with capacity, and the door dashboard.
// Ids are chosen by the client (crypto.randomUUID()), as batch ids are, so that a creation retried
// over a flaky network is a replay, not a second event.
import Type from 'typebox'
import { MAX_CAPACITY, MAX_EVENT_LENGTH, MAX_TICKET_TYPE_LENGTH, MAX_TICKET_TYPES, MAX_VENUE_LENGTH } from './limits.ts'
import { BATCH_ID_PATTERN, Price } from './schemas.ts'

export const EventId = Type.String({ pattern: `^${BATCH_ID_PATTERN}$`, description: 'client-chosen UUID, lower case' })
export const TicketTypeId = Type.String({ pattern: `^${BATCH_ID_PATTERN}$`, description: 'client-chosen UUID, lower case' })

export const EventName = Type.String({ minLength: 1, maxLength: MAX_EVENT_LENGTH, pattern: '\\S' })
export const TicketTypeName = Type.String({ minLength: 1, maxLength: MAX_TICKET_TYPE_LENGTH, pattern: '\\S' })
/** The wall-clock time at the venue, `YYYY-MM-DDTHH:MM`; `timeZone` says where that clock is. */
export const LocalDateTime = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}$' })
/** An IANA time zone name such as `Europe/Berlin`; the server refuses names it does not know. */
export const TimeZone = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_+\\-/]+$' })
export const Capacity = Type.Integer({ minimum: 0, maximum: MAX_CAPACITY })

/** A ticket type as created or edited: PUT /api/events/:id/ticket-types/:typeId, or within POST /api/events. */
export const TicketTypeBody = Type.Object({ name: TicketTypeName, price: Price, capacity: Capacity }, { additionalProperties: false })

export const NewTicketType = Type.Object({ id: TicketTypeId, ...TicketTypeBody.properties }, { additionalProperties: false })

export const EventFields = Type.Object(
  {
    name: EventName,
    startsAt: LocalDateTime,
    timeZone: TimeZone,
    venue: Type.String({ maxLength: MAX_VENUE_LENGTH }),
  },
  { additionalProperties: false },
)

export const CreateEventBody = Type.Object(
  {
    id: EventId,
    ...EventFields.properties,
    ticketTypes: Type.Array(NewTicketType, { maxItems: MAX_TICKET_TYPES }),
  },
  { additionalProperties: false },
)

/** PATCH /api/events/:id: the fields given change, the others stay. */
export const UpdateEventBody = Type.Partial(EventFields, { additionalProperties: false, minProperties: 1 })

export const TicketTypeView = Type.Object({
  id: TicketTypeId,
  eventId: EventId,
  name: Type.String(),
  price: Price,
  capacity: Type.Integer(),
  /** Tickets of open and completed batches, plus what cancelled batches had uploaded: never above capacity. */
  issued: Type.Integer(),
  /** capacity − issued: the most the next batch of this type may hold. */
  remaining: Type.Integer(),
})

export const EventView = Type.Object({
  id: EventId,
  name: Type.String(),
  /** Null for an event made from the batches of a version before events, until someone sets it. */
  startsAt: Type.Union([LocalDateTime, Type.Null()]),
  timeZone: Type.String(),
  venue: Type.String(),
  createdAt: Type.String({ description: 'ISO 8601' }),
  ticketTypes: Type.Array(TicketTypeView),
})

export const EventList = Type.Object({ events: Type.Array(EventView) })

export const EventParams = Type.Object({ id: EventId })
export const TicketTypeParams = Type.Object({ id: EventId, typeId: TicketTypeId })

/** One ticket type's line on the door dashboard, or the event's total. */
export const DoorCounts = Type.Object({
  capacity: Type.Integer(),
  issued: Type.Integer(),
  /** Tickets the server holds (uploaded). */
  onServer: Type.Integer(),
  checkedIn: Type.Integer(),
  revoked: Type.Integer(),
})

export const DoorDashboard = Type.Object({
  event: Type.Object({
    id: EventId,
    name: Type.String(),
    startsAt: Type.Union([Type.String(), Type.Null()]),
    timeZone: Type.String(),
    venue: Type.String(),
  }),
  /** The server's clock when the counts were read. */
  serverTime: Type.String(),
  ticketTypes: Type.Array(Type.Object({ id: TicketTypeId, name: Type.String(), ...DoorCounts.properties })),
  total: DoorCounts,
  /** Check-ins per 5 minutes of the scanners' clocks (UTC bucket starts), oldest first; buckets without any are left out. */
  checkinsPer5Minutes: Type.Array(Type.Object({ start: Type.String({ description: 'ISO 8601 UTC' }), count: Type.Integer() })),
})

export type EventId = Type.Static<typeof EventId>
export type TicketTypeBody = Type.Static<typeof TicketTypeBody>
export type NewTicketType = Type.Static<typeof NewTicketType>
export type EventFields = Type.Static<typeof EventFields>
export type CreateEventBody = Type.Static<typeof CreateEventBody>
export type UpdateEventBody = Type.Static<typeof UpdateEventBody>
export type TicketTypeView = Type.Static<typeof TicketTypeView>
export type EventView = Type.Static<typeof EventView>
export type EventList = Type.Static<typeof EventList>
export type DoorCounts = Type.Static<typeof DoorCounts>
export type DoorDashboard = Type.Static<typeof DoorDashboard>
