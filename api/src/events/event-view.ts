import type { DoorDashboard, EventView, TicketTypeView } from '@boxoffice/tickets'
import type { CheckinBucket, DoorCountsRecord, EventWithTypes, TicketTypeRecord } from '../db/event-repository.ts'

export function toTicketTypeView(type: TicketTypeRecord): TicketTypeView {
  return {
    id: type.id,
    eventId: type.eventId,
    name: type.name,
    price: { amountMinor: type.priceMinor, currency: type.currency },
    capacity: type.capacity,
    issued: type.issued,
    remaining: type.capacity - type.issued,
  }
}

/** The most events one list answers with: more than a box office runs at once. */
export const EVENT_LIST_LIMIT = 500

export function toEventView(event: EventWithTypes): EventView {
  return {
    id: event.id,
    name: event.name,
    startsAt: event.startsAt,
    timeZone: event.timeZone,
    venue: event.venue,
    createdAt: event.createdAt,
    ticketTypes: event.ticketTypes.map(toTicketTypeView),
  }
}

const COUNTED = ['capacity', 'issued', 'onServer', 'checkedIn', 'revoked'] as const

export function toDoorDashboard(
  event: EventWithTypes,
  lines: readonly DoorCountsRecord[],
  series: readonly CheckinBucket[],
): DoorDashboard {
  const total = Object.fromEntries(COUNTED.map((key) => [key, lines.reduce((sum, line) => sum + line[key], 0)])) as DoorDashboard['total']
  return {
    event: { id: event.id, name: event.name, startsAt: event.startsAt, timeZone: event.timeZone, venue: event.venue },
    serverTime: new Date().toISOString(),
    ticketTypes: lines.map(({ ticketTypeId, name, capacity, issued, onServer, checkedIn, revoked }) => ({
      id: ticketTypeId,
      name,
      capacity,
      issued,
      onServer,
      checkedIn,
      revoked,
    })),
    total,
    checkinsPer5Minutes: series.map(({ start, count }) => ({ start, count })),
  }
}
