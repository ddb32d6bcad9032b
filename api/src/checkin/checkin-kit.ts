// What a scanner downloads to check tickets without the network: each batch's public key (tokens
// verify offline with it, see docs/token-format.md) and what has been revoked since.
import {
  MAX_KIT_BATCHES,
  MAX_KIT_OTHER_BATCHES,
  type CheckinBatch,
  type CheckinEvent,
  type CheckinKit,
  type CheckinKitBatch,
} from '@boxoffice/tickets'
import { toBatchIdentity } from '../batches/batch-view.ts'
import type { CheckinRepository } from '../db/checkin-repository.ts'
import type { EventRepository } from '../db/event-repository.ts'
import type { TicketRepository } from '../db/ticket-repository.ts'
import { EventNotFound, InvalidRequest } from '../errors.ts'
import { EVENT_LIST_LIMIT } from '../events/event-view.ts'

export interface CheckinKitDeps {
  repository: TicketRepository
  checkins: CheckinRepository
  events: EventRepository
}

/**
 * The completed batches, newest first, whoever created them: what gate staff choose from before
 * going offline. Staff see only their own batches in GET /api/batches, but a gate account checks
 * in tickets of batches others made, and a kit holds nothing secret.
 */
export async function checkinBatches({ repository }: CheckinKitDeps, limit: number): Promise<CheckinBatch[]> {
  const records = await repository.listBatches({ state: 'completed', limit })
  return records.map((batch) => {
    const { id, eventId, event, ticketType } = toBatchIdentity(batch)
    return { id, eventId, event, ticketType, finishedAt: batch.finishedAt }
  })
}

/** The events a gate may choose to admit, newest first as GET /api/events lists them, without prices or counts. */
export async function checkinEvents({ events }: CheckinKitDeps): Promise<CheckinEvent[]> {
  return (await events.listEvents(EVENT_LIST_LIMIT)).map(({ id, name, startsAt, timeZone, venue }) => ({
    id,
    name,
    startsAt,
    timeZone,
    venue,
  }))
}

/**
 * The kit of one event: every completed batch of it, with what has been revoked, and the id and
 * event of other events' newest completed batches, so that an offline device can refuse their
 * tickets by name. Any signed-in account may fetch it: a kit holds nothing secret.
 */
export async function checkinKit({ repository, checkins, events }: CheckinKitDeps, eventId: string): Promise<CheckinKit> {
  const event = await events.getEvent(eventId)
  if (!event) throw new EventNotFound(`event ${eventId} not found`)
  const records = await repository.listBatches({ state: 'completed', eventId, limit: MAX_KIT_BATCHES + 1 })
  if (records.length > MAX_KIT_BATCHES) {
    throw new InvalidRequest(`event ${event.name} has more than ${MAX_KIT_BATCHES} completed batches, more than one kit holds`)
  }
  const batches: CheckinKitBatch[] = []
  for (const batch of records) {
    const revocations = await checkins.revocationsOf(batch.id)
    batches.push({
      ...toBatchIdentity(batch),
      revoked: revocations.batch !== undefined,
      revokedAt: revocations.batch?.revokedAt ?? null,
      revokedSerials: revocations.serials,
    })
  }
  const others = await repository.listBatches({ state: 'completed', limit: MAX_KIT_OTHER_BATCHES + MAX_KIT_BATCHES })
  return {
    serverTime: new Date().toISOString(),
    event: { id: event.id, name: event.name },
    batches,
    revokedBatches: batches.filter((batch) => batch.revoked).map((batch) => batch.id),
    otherBatches: others
      .filter((batch) => batch.eventId !== eventId)
      .slice(0, MAX_KIT_OTHER_BATCHES)
      .map((batch) => ({ id: batch.id, event: batch.event })),
  }
}
