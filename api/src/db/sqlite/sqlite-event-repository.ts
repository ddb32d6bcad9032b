import type Database from 'better-sqlite3'
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
import { sqliteOperation } from './sqlite-errors.ts'

const EVENT_COLUMNS = `id, name, starts_at AS startsAt, time_zone AS timeZone, venue, created_at AS createdAt, created_by AS createdBy`
const TYPE_COLUMNS = `id, event_id AS eventId, name, price_minor AS priceMinor, currency, capacity, issued`

/**
 * Each change is one IMMEDIATE transaction: SQLite's single writer makes a capacity change and a
 * batch's reservation (SqliteTicketRepository.createBatch) take turns.
 */
export class SqliteEventRepository implements EventRepository {
  readonly #db: Database.Database
  readonly #statements

  constructor(db: Database.Database) {
    this.#db = db
    this.#statements = {
      event: db.prepare<[string], EventRecord>(`SELECT ${EVENT_COLUMNS} FROM events WHERE id = ?`),
      events: db.prepare<[number], EventRecord>(
        `SELECT ${EVENT_COLUMNS} FROM events ORDER BY starts_at IS NULL, starts_at, created_at, rowid LIMIT ?`,
      ),
      typesOf: db.prepare<[string], TicketTypeRecord>(`SELECT ${TYPE_COLUMNS} FROM ticket_types WHERE event_id = ? ORDER BY rowid`),
      type: db.prepare<[string], TicketTypeRecord>(`SELECT ${TYPE_COLUMNS} FROM ticket_types WHERE id = ?`),
      insertEvent: db.prepare<[EventRecord]>(`
        INSERT INTO events (id, name, starts_at, time_zone, venue, created_at, created_by)
        VALUES (@id, @name, @startsAt, @timeZone, @venue, @createdAt, @createdBy)`),
      insertType: db.prepare<[NewTicketType]>(`
        INSERT INTO ticket_types (id, event_id, name, price_minor, currency, capacity)
        VALUES (@id, @eventId, @name, @priceMinor, @currency, @capacity)`),
      updateType: db.prepare<[NewTicketType]>(
        'UPDATE ticket_types SET name = @name, price_minor = @priceMinor, currency = @currency, capacity = @capacity WHERE id = @id',
      ),
      updateEvent: db.prepare<[Record<'id' | keyof EventChanges, string | null>]>(`
        UPDATE events SET name = coalesce(@name, name), starts_at = coalesce(@startsAt, starts_at),
          time_zone = coalesce(@timeZone, time_zone), venue = coalesce(@venue, venue)
        WHERE id = @id`),
      // Every figure from a counter or an index: the type's row, the batches of the type (by
      // batches_by_ticket_type), their revocations (by revocations_by_ticket) and the 5-minute counts.
      doorCounts: db.prepare<[string], DoorCountsRecord>(`
        SELECT t.id AS ticketTypeId, t.name, t.capacity, t.issued,
          coalesce((SELECT sum(b.tickets_received) FROM batches AS b WHERE b.ticket_type_id = t.id), 0) AS onServer,
          coalesce((SELECT sum(c.count) FROM checkin_counts AS c WHERE c.ticket_type_id = t.id), 0) AS checkedIn,
          coalesce((
            SELECT sum(CASE
              WHEN EXISTS (SELECT 1 FROM revocations AS r WHERE r.batch_id = b.id AND ifnull(r.serial, -1) = -1) THEN b.tickets_received
              ELSE (SELECT count(*) FROM revocations AS r WHERE r.batch_id = b.id AND ifnull(r.serial, -1) >= 0) END)
            FROM batches AS b WHERE b.ticket_type_id = t.id), 0) AS revoked
        FROM ticket_types AS t WHERE t.event_id = ? ORDER BY t.rowid`),
      series: db.prepare<[string, number], CheckinBucket>(`
        SELECT start, count FROM (
          SELECT c.bucket AS start, sum(c.count) AS count
          FROM ticket_types AS t JOIN checkin_counts AS c ON c.ticket_type_id = t.id
          WHERE t.event_id = ? GROUP BY c.bucket ORDER BY c.bucket DESC LIMIT ?)
        ORDER BY start`),
    }
  }

  async createEvent(event: NewEvent): Promise<CreateEventResult> {
    const s = this.#statements
    const create = this.#db.transaction((): CreateEventResult => {
      const existing = this.#event(event.id)
      if (existing) return { outcome: 'existing', event: existing }
      const taken = event.ticketTypes.find((type) => s.type.get(type.id))
      if (taken) return { outcome: 'ticket-type-taken', ticketTypeId: taken.id }
      const { ticketTypes, ...fields } = event
      s.insertEvent.run(fields)
      for (const type of ticketTypes) s.insertType.run(type)
      return { outcome: 'created', event: this.#event(event.id)! }
    })
    return sqliteOperation('createEvent', () => create.immediate())
  }

  async getEvent(id: string): Promise<EventWithTypes | undefined> {
    return sqliteOperation('getEvent', () => this.#event(id))
  }

  async listEvents(limit: number): Promise<EventWithTypes[]> {
    const s = this.#statements
    return sqliteOperation('listEvents', () =>
      this.#db.transaction(() => s.events.all(limit).map((event) => ({ ...event, ticketTypes: s.typesOf.all(event.id) })))(),
    )
  }

  async updateEvent(id: string, changes: EventChanges): Promise<EventWithTypes | undefined> {
    const update = this.#db.transaction(() => {
      this.#statements.updateEvent.run({
        id,
        name: changes.name ?? null,
        startsAt: changes.startsAt ?? null,
        timeZone: changes.timeZone ?? null,
        venue: changes.venue ?? null,
      })
      return this.#event(id)
    })
    return sqliteOperation('updateEvent', () => update.immediate())
  }

  async putTicketType(type: NewTicketType): Promise<PutTicketTypeResult> {
    const s = this.#statements
    const put = this.#db.transaction((): PutTicketTypeResult => {
      if (!s.event.get(type.eventId)) return { outcome: 'event-not-found' }
      const current = s.type.get(type.id)
      if (!current) {
        s.insertType.run(type)
        return { outcome: 'created', ticketType: s.type.get(type.id)! }
      }
      if (current.eventId !== type.eventId) return { outcome: 'other-event' }
      if (type.capacity < current.issued) return { outcome: 'below-issued', issued: current.issued }
      s.updateType.run(type)
      return { outcome: 'updated', ticketType: s.type.get(type.id)! }
    })
    return sqliteOperation('putTicketType', () => put.immediate())
  }

  async doorCounts(eventId: string): Promise<DoorCountsRecord[]> {
    return sqliteOperation('doorCounts', () => this.#statements.doorCounts.all(eventId))
  }

  async checkinSeries(eventId: string): Promise<CheckinBucket[]> {
    return sqliteOperation('checkinSeries', () => this.#statements.series.all(eventId, MAX_CHECKIN_BUCKETS))
  }

  #event(id: string): EventWithTypes | undefined {
    const event = this.#statements.event.get(id)
    return event && { ...event, ticketTypes: this.#statements.typesOf.all(id) }
  }
}
