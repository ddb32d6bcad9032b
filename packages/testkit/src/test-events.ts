// What the API tests, the end-to-end tests and the bench share about events: ids that follow from
// names (so the same names always mean the same event or type, run after run) and the body of
// POST /api/events with the details no test is about filled in.
import { createHash } from 'node:crypto'
import type { CreateEventBody } from '@boxoffice/tickets'

/** A UUID (lower case, version 4 layout) that is a function of `seed`. */
export function uuidFrom(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

/** An event named `name`, with `id` from its name unless given; no ticket types unless given. */
export function testEventBody(name: string, overrides: Partial<CreateEventBody> = {}): CreateEventBody {
  return {
    id: uuidFrom(`event ${name}`),
    name,
    startsAt: '2026-12-31T20:00',
    timeZone: 'Europe/Berlin',
    venue: 'Main hall',
    ticketTypes: [],
    ...overrides,
  }
}
