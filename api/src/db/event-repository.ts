// The storage contract for events, their ticket types with capacity, and the door dashboard's
// counts. Plain data only and every method async, like TicketRepository; the capacity itself is
// reserved by TicketRepository.createBatch, in the transaction that stores the batch.

export interface EventRecord {
  id: string
  name: string
  /** The venue's wall-clock time, `YYYY-MM-DDTHH:MM`; null for an event made from older batches. */
  startsAt: string | null
  /** IANA zone of `startsAt`. */
  timeZone: string
  venue: string
  createdAt: string
  createdBy: number | null
}

export interface TicketTypeRecord {
  id: string
  eventId: string
  name: string
  priceMinor: number
  currency: string
  capacity: number
  /**
   * Tickets of the type's open and completed batches, plus those cancelled batches had uploaded.
   * Never above `capacity`: the database refuses it (a CHECK), whatever a caller does.
   */
  issued: number
}

export interface EventWithTypes extends EventRecord {
  /** In the order they were added. */
  ticketTypes: TicketTypeRecord[]
}

export type NewTicketType = Omit<TicketTypeRecord, 'issued'>
export type NewEvent = EventRecord & { ticketTypes: NewTicketType[] }
export type EventChanges = Partial<Pick<EventRecord, 'name' | 'startsAt' | 'timeZone' | 'venue'>>

export type CreateEventResult =
  | { outcome: 'created' | 'existing'; event: EventWithTypes }
  /** One of the new types' ids belongs to a type of another event: nothing was stored. */
  | { outcome: 'ticket-type-taken'; ticketTypeId: string }

export type PutTicketTypeResult =
  | { outcome: 'created' | 'updated'; ticketType: TicketTypeRecord }
  | { outcome: 'event-not-found' }
  /** The id is a ticket type of another event. */
  | { outcome: 'other-event' }
  /** The new capacity is below what the type has issued already: nothing changed. */
  | { outcome: 'below-issued'; issued: number }

/** One ticket type's line of the door dashboard. */
export interface DoorCountsRecord {
  ticketTypeId: string
  name: string
  capacity: number
  issued: number
  /** Tickets uploaded to the server. */
  onServer: number
  checkedIn: number
  /** Revoked one by one, plus every uploaded ticket of a batch revoked whole. */
  revoked: number
}

export interface CheckinBucket {
  /** ISO 8601 UTC start of the 5 minutes. */
  start: string
  count: number
}

export interface EventRepository {
  /**
   * Stores the event and its ticket types in one transaction unless an event with its id exists
   * (`existing`, nothing changed). Of concurrent creations of one id, exactly one is `created`.
   */
  createEvent(event: NewEvent): Promise<CreateEventResult>
  getEvent(id: string): Promise<EventWithTypes | undefined>
  /** Soonest start first; events without a start last. */
  listEvents(limit: number): Promise<EventWithTypes[]>
  updateEvent(id: string, changes: EventChanges): Promise<EventWithTypes | undefined>
  /**
   * Adds the type to its event, or changes its name, price and capacity. The capacity check and
   * the change are one atomic step against createBatch's reservation: a capacity is never set
   * below what is issued, however the two race.
   */
  putTicketType(type: NewTicketType): Promise<PutTicketTypeResult>
  /**
   * The dashboard's counts, a line per ticket type in the order added, in one query on counters
   * and indexes: its cost does not grow with the tickets or check-ins stored.
   */
  doorCounts(eventId: string): Promise<DoorCountsRecord[]>
  /** Check-ins per 5 minutes of the scanners' clocks, oldest first, the newest MAX_CHECKIN_BUCKETS buckets that have any. */
  checkinSeries(eventId: string): Promise<CheckinBucket[]>
}

/** A week of 5-minute buckets: more than any door needs to see. */
export const MAX_CHECKIN_BUCKETS = 2_016

const BUCKET_MS = 5 * 60_000

/** The start of the 5 minutes (UTC) a check-in at `isoTime` counts in, as an ISO string. */
export function checkinBucketOf(isoTime: string): string {
  return new Date(Math.floor(Date.parse(isoTime) / BUCKET_MS) * BUCKET_MS).toISOString()
}
