import type pg from 'pg'
import {
  MAX_CHECKIN_BUCKETS,
  type CheckinBucket,
  type CreateEventResult,
  type DoorCountsRecord,
  type EventChanges,
  type EventRecord,
  type EventRepository,
  type EventWithTypes,
  type NewEvent,
  type NewTicketType,
  type PutTicketTypeResult,
  type TicketTypeRecord,
} from '../event-repository.ts'
import { postgresOperation } from './postgres-errors.ts'
import { inTransaction, pooledQuery } from './pooled.ts'

const EVENT_COLUMNS = `id, name, starts_at AS "startsAt", time_zone AS "timeZone", venue, created_at AS "createdAt", created_by AS "createdBy"`
const TYPE_COLUMNS = `id, event_id AS "eventId", name, price_minor AS "priceMinor", currency, capacity, issued`

type Queryable = pg.Pool | pg.PoolClient

class TicketTypeTaken extends Error {
  constructor(readonly ticketTypeId: string) {
    super(`ticket type ${ticketTypeId} exists`)
  }
}

/**
 * A capacity change is an UPDATE of the type's row under its row lock, the lock a batch's
 * reservation (PostgresTicketRepository.createBatch) takes: the two take turns on every instance.
 */
export class PostgresEventRepository implements EventRepository {
  readonly #pool: pg.Pool

  constructor(pool: pg.Pool) {
    this.#pool = pool
  }

  /** `ON CONFLICT DO NOTHING` on the event's id: a concurrent creation of it waits for the first, then stores nothing. */
  async createEvent(event: NewEvent): Promise<CreateEventResult> {
    try {
      return await inTransaction(this.#pool, 'createEvent', async (client): Promise<CreateEventResult> => {
        const inserted = await client.query(
          `INSERT INTO events (id, name, starts_at, time_zone, venue, created_at, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
          [event.id, event.name, event.startsAt, event.timeZone, event.venue, event.createdAt, event.createdBy],
        )
        if (inserted.rowCount === 0) return { outcome: 'existing', event: (await eventOn(client, event.id))! }
        const types = event.ticketTypes
        const added = await client.query<{ id: string }>(
          `INSERT INTO ticket_types (id, event_id, name, price_minor, currency, capacity)
           SELECT u.id, $1, u.name, u.price_minor, u.currency, u.capacity
           FROM unnest($2::text[], $3::text[], $4::integer[], $5::text[], $6::integer[]) WITH ORDINALITY AS u (id, name, price_minor, currency, capacity, n)
           ORDER BY u.n
           ON CONFLICT (id) DO NOTHING RETURNING id`,
          [
            event.id,
            types.map((t) => t.id),
            types.map((t) => t.name),
            types.map((t) => t.priceMinor),
            types.map((t) => t.currency),
            types.map((t) => t.capacity),
          ],
        )
        if (added.rowCount !== types.length) {
          const stored = new Set(added.rows.map((row) => row.id))
          // Thrown to roll the event back; answered below.
          throw new TicketTypeTaken(types.find((type) => !stored.has(type.id))!.id)
        }
        return { outcome: 'created', event: (await eventOn(client, event.id))! }
      })
    } catch (error) {
      if (error instanceof TicketTypeTaken) return { outcome: 'ticket-type-taken', ticketTypeId: error.ticketTypeId }
      throw error
    }
  }

  async getEvent(id: string): Promise<EventWithTypes | undefined> {
    return postgresOperation('getEvent', () => eventOn(this.#pool, id))
  }

  async listEvents(limit: number): Promise<EventWithTypes[]> {
    const events = await pooledQuery<EventRecord>(
      this.#pool,
      'listEvents',
      `SELECT ${EVENT_COLUMNS} FROM events ORDER BY starts_at ASC NULLS LAST, created_at, id LIMIT $1`,
      [limit],
    )
    const types = await pooledQuery<TicketTypeRecord>(
      this.#pool,
      'listEvents',
      `SELECT ${TYPE_COLUMNS} FROM ticket_types WHERE event_id = ANY($1::text[]) ORDER BY seq`,
      [events.rows.map((event) => event.id)],
    )
    return events.rows.map((event) => ({ ...event, ticketTypes: types.rows.filter((type) => type.eventId === event.id) }))
  }

  async updateEvent(id: string, changes: EventChanges): Promise<EventWithTypes | undefined> {
    await pooledQuery(
      this.#pool,
      'updateEvent',
      `UPDATE events SET name = coalesce($2, name), starts_at = coalesce($3, starts_at), time_zone = coalesce($4, time_zone),
         venue = coalesce($5, venue)
       WHERE id = $1`,
      [id, changes.name ?? null, changes.startsAt ?? null, changes.timeZone ?? null, changes.venue ?? null],
    )
    return postgresOperation('updateEvent', () => eventOn(this.#pool, id))
  }

  async putTicketType(type: NewTicketType): Promise<PutTicketTypeResult> {
    return inTransaction(this.#pool, 'putTicketType', async (client): Promise<PutTicketTypeResult> => {
      const event = await client.query('SELECT 1 FROM events WHERE id = $1', [type.eventId])
      if (event.rowCount === 0) return { outcome: 'event-not-found' }
      const inserted = await client.query<TicketTypeRecord>(
        `INSERT INTO ticket_types (id, event_id, name, price_minor, currency, capacity) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (id) DO NOTHING RETURNING ${TYPE_COLUMNS}`,
        [type.id, type.eventId, type.name, type.priceMinor, type.currency, type.capacity],
      )
      if (inserted.rows[0]) return { outcome: 'created', ticketType: inserted.rows[0] }
      const locked = await client.query<{ eventId: string; issued: number }>(
        'SELECT event_id AS "eventId", issued FROM ticket_types WHERE id = $1 FOR UPDATE',
        [type.id],
      )
      const current = locked.rows[0]!
      if (current.eventId !== type.eventId) return { outcome: 'other-event' }
      if (type.capacity < current.issued) return { outcome: 'below-issued', issued: current.issued }
      const updated = await client.query<TicketTypeRecord>(
        `UPDATE ticket_types SET name = $2, price_minor = $3, currency = $4, capacity = $5 WHERE id = $1 RETURNING ${TYPE_COLUMNS}`,
        [type.id, type.name, type.priceMinor, type.currency, type.capacity],
      )
      return { outcome: 'updated', ticketType: updated.rows[0]! }
    })
  }

  /** Counters and index lookups only (see SqliteEventRepository.doorCounts); sums cast back from bigint. */
  async doorCounts(eventId: string): Promise<DoorCountsRecord[]> {
    const { rows } = await pooledQuery<DoorCountsRecord>(
      this.#pool,
      'doorCounts',
      `SELECT t.id AS "ticketTypeId", t.name, t.capacity, t.issued,
         coalesce((SELECT sum(b.tickets_received) FROM batches AS b WHERE b.ticket_type_id = t.id), 0)::integer AS "onServer",
         coalesce((SELECT sum(c.count) FROM checkin_counts AS c WHERE c.ticket_type_id = t.id), 0)::integer AS "checkedIn",
         coalesce((
           SELECT sum(CASE
             WHEN EXISTS (SELECT 1 FROM revocations AS r WHERE r.batch_id = b.id AND coalesce(r.serial, -1) = -1) THEN b.tickets_received
             ELSE (SELECT count(*) FROM revocations AS r WHERE r.batch_id = b.id AND coalesce(r.serial, -1) >= 0) END)
           FROM batches AS b WHERE b.ticket_type_id = t.id), 0)::integer AS revoked
       FROM ticket_types AS t WHERE t.event_id = $1 ORDER BY t.seq`,
      [eventId],
    )
    return rows
  }

  async checkinSeries(eventId: string): Promise<CheckinBucket[]> {
    const { rows } = await pooledQuery<CheckinBucket>(
      this.#pool,
      'checkinSeries',
      `SELECT start, count FROM (
         SELECT c.bucket AS start, sum(c.count)::integer AS count
         FROM ticket_types AS t JOIN checkin_counts AS c ON c.ticket_type_id = t.id
         WHERE t.event_id = $1 GROUP BY c.bucket ORDER BY c.bucket DESC LIMIT $2) AS newest
       ORDER BY start`,
      [eventId, MAX_CHECKIN_BUCKETS],
    )
    return rows
  }
}

/** Untranslated errors: callers run it inside postgresOperation or inTransaction. */
async function eventOn(db: Queryable, id: string): Promise<EventWithTypes | undefined> {
  const event = (await db.query<EventRecord>(`SELECT ${EVENT_COLUMNS} FROM events WHERE id = $1`, [id])).rows[0]
  if (!event) return undefined
  const types = await db.query<TicketTypeRecord>(`SELECT ${TYPE_COLUMNS} FROM ticket_types WHERE event_id = $1 ORDER BY seq`, [id])
  return { ...event, ticketTypes: types.rows }
}
