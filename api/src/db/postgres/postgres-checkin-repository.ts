import type pg from 'pg'
import type {
  BatchRevocations,
  CheckinRecord,
  CheckinRepository,
  NewRevocation,
  RecordCheckinResult,
  RevocationRecord,
  TicketState,
} from '../checkin-repository.ts'
import { inTransaction, pooledQuery } from './pooled.ts'

const REVOCATION_COLUMNS = `
  r.batch_id AS "batchId", r.serial, r.revoked_at AS "revokedAt", r.reason, r.revoked_by AS "revokedBy",
  a.username AS "revokedByUsername"`
const REVOCATIONS = 'revocations AS r LEFT JOIN accounts AS a ON a.id = r.revoked_by'
const CHECKIN_COLUMNS = `
  batch_id AS "batchId", serial, checked_in_at AS "checkedInAt", device_id AS "deviceId",
  recorded_at AS "recordedAt", recorded_by AS "recordedBy", idempotency_key AS "idempotencyKey"`

const ticketKey = (batchId: string, serial: number) => `${batchId}/${serial}`

/**
 * A check-in is an `INSERT … ON CONFLICT DO NOTHING` on the (batch, serial) primary key: of
 * concurrent inserts of one ticket, from any instance, the first wins and the others wait for it
 * and insert nothing. A check-in and a revocation of the same batch exclude each other by a row
 * lock on the batch: check-ins take FOR KEY SHARE (they do not block each other, nor uploads),
 * a revocation FOR UPDATE.
 */
export class PostgresCheckinRepository implements CheckinRepository {
  readonly #pool: pg.Pool

  constructor(pool: pg.Pool) {
    this.#pool = pool
  }

  /** A sync of a thousand check-ins is four statements, not a thousand: each reads or writes every row at once. */
  async recordCheckins(checkins: readonly CheckinRecord[]): Promise<RecordCheckinResult[]> {
    if (checkins.length === 0) return []
    const batchIds = [...new Set(checkins.map((checkin) => checkin.batchId))].sort()
    const column = <K extends keyof CheckinRecord>(key: K) => checkins.map((checkin) => checkin[key])
    return inTransaction(this.#pool, 'recordCheckins', async (client) => {
      // In id order, so that two syncs over the same batches cannot deadlock.
      await client.query('SELECT 1 FROM batches WHERE id = ANY($1::text[]) ORDER BY id FOR KEY SHARE', [batchIds])
      const revocations = await this.#revocationsOfTickets(client, batchIds, column('batchId'), column('serial'))

      const admitted = checkins.filter((checkin) => !revocations(checkin))
      // unnest yields the rows in array order, so a ticket listed twice is recorded at its first place.
      // The door dashboard's counters move in the same statement: one more check-in of each
      // recorded ticket's type in its 5 minutes, in key order so that two syncs cannot deadlock.
      const inserted = await client.query<{ batchId: string; serial: number }>(
        `WITH recorded AS (
           INSERT INTO checkins (batch_id, serial, checked_in_at, device_id, recorded_at, recorded_by, idempotency_key)
           SELECT * FROM unnest($1::text[], $2::integer[], $3::text[], $4::text[], $5::timestamptz[], $6::integer[], $7::text[])
           ON CONFLICT (batch_id, serial) DO NOTHING
           RETURNING batch_id, serial, checked_in_at
         ), counted AS (
           INSERT INTO checkin_counts (ticket_type_id, bucket, count)
           SELECT b.ticket_type_id, to_timestamp(floor(extract(epoch FROM r.checked_in_at::timestamptz) / 300) * 300) AS bucket, count(*)
           FROM recorded AS r JOIN batches AS b ON b.id = r.batch_id
           GROUP BY 1, 2 ORDER BY 1, 2
           ON CONFLICT (ticket_type_id, bucket) DO UPDATE SET count = checkin_counts.count + excluded.count
         )
         SELECT batch_id AS "batchId", serial FROM recorded`,
        [
          admitted.map((c) => c.batchId),
          admitted.map((c) => c.serial),
          admitted.map((c) => c.checkedInAt),
          admitted.map((c) => c.deviceId),
          admitted.map((c) => c.recordedAt),
          admitted.map((c) => c.recordedBy),
          admitted.map((c) => c.idempotencyKey),
        ],
      )
      const recordedNow = new Set(inserted.rows.map((row) => ticketKey(row.batchId, row.serial)))
      const firsts = await client.query<CheckinRecord>(
        `SELECT ${CHECKIN_COLUMNS} FROM checkins
         WHERE (batch_id, serial) IN (SELECT * FROM unnest($1::text[], $2::integer[]))`,
        [admitted.map((c) => c.batchId), admitted.map((c) => c.serial)],
      )
      const firstOf = new Map(firsts.rows.map((row) => [ticketKey(row.batchId, row.serial), row]))

      return checkins.map((checkin): RecordCheckinResult => {
        const revocation = revocations(checkin)
        if (revocation) return { outcome: 'revoked', revocation }
        const key = ticketKey(checkin.batchId, checkin.serial)
        // Claimed once: a second listing of the same ticket in this call finds it taken.
        if (recordedNow.delete(key)) return { outcome: 'recorded' }
        return { outcome: 'already', first: firstOf.get(key)! }
      })
    })
  }

  async revoke(revocation: NewRevocation): Promise<{ created: boolean; revocation: RevocationRecord }> {
    return inTransaction(this.#pool, 'revoke', async (client) => {
      await client.query('SELECT 1 FROM batches WHERE id = $1 FOR UPDATE', [revocation.batchId])
      const inserted = await client.query(
        `INSERT INTO revocations (batch_id, serial, revoked_at, reason, revoked_by) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
        [revocation.batchId, revocation.serial, revocation.revokedAt, revocation.reason, revocation.revokedBy],
      )
      const stored = await client.query<RevocationRecord>(
        `SELECT ${REVOCATION_COLUMNS} FROM ${REVOCATIONS} WHERE r.batch_id = $1 AND coalesce(r.serial, -1) = coalesce($2::integer, -1)`,
        [revocation.batchId, revocation.serial],
      )
      return { created: inserted.rowCount === 1, revocation: stored.rows[0]! }
    })
  }

  async ticketState(batchId: string, serial: number): Promise<TicketState> {
    const [checkin, revocation] = await Promise.all([
      pooledQuery<CheckinRecord & { recordedByUsername: string | null }>(
        this.#pool,
        'ticketState',
        `SELECT c.batch_id AS "batchId", c.serial, c.checked_in_at AS "checkedInAt", c.device_id AS "deviceId",
                c.recorded_at AS "recordedAt", c.recorded_by AS "recordedBy", c.idempotency_key AS "idempotencyKey",
                a.username AS "recordedByUsername"
         FROM checkins AS c LEFT JOIN accounts AS a ON a.id = c.recorded_by WHERE c.batch_id = $1 AND c.serial = $2`,
        [batchId, serial],
      ),
      // The whole batch's revocation (serial NULL) comes before the ticket's own.
      pooledQuery<RevocationRecord>(
        this.#pool,
        'ticketState',
        `SELECT ${REVOCATION_COLUMNS} FROM ${REVOCATIONS}
         WHERE r.batch_id = $1 AND (r.serial IS NULL OR r.serial = $2) ORDER BY r.serial NULLS FIRST LIMIT 1`,
        [batchId, serial],
      ),
    ])
    return { checkin: checkin.rows[0], revocation: revocation.rows[0] }
  }

  async revocationsOf(batchId: string): Promise<BatchRevocations> {
    const whole = await pooledQuery<RevocationRecord>(
      this.#pool,
      'revocationsOf',
      `SELECT ${REVOCATION_COLUMNS} FROM ${REVOCATIONS} WHERE r.batch_id = $1 AND r.serial IS NULL`,
      [batchId],
    )
    // Runs of consecutive serials grouped in the database: one row per range.
    const runs = await pooledQuery<{ first: number; last: number }>(
      this.#pool,
      'revocationsOf',
      `SELECT min(serial) AS first, max(serial) AS last
       FROM (SELECT serial, serial - row_number() OVER (ORDER BY serial) AS run FROM revocations WHERE batch_id = $1 AND serial IS NOT NULL) AS serials
       GROUP BY run ORDER BY first`,
      [batchId],
    )
    return { batch: whole.rows[0], serials: runs.rows.map(({ first, last }) => [first, last]) }
  }

  /** The revocation that refuses each ticket, if any: its batch's own before the ticket's. */
  async #revocationsOfTickets(client: pg.PoolClient, batchIds: string[], batchIdOf: string[], serials: number[]) {
    const { rows } = await client.query<RevocationRecord>(
      `SELECT ${REVOCATION_COLUMNS} FROM ${REVOCATIONS}
       WHERE r.batch_id = ANY($1::text[])
         AND (r.serial IS NULL OR (r.batch_id, r.serial) IN (SELECT * FROM unnest($2::text[], $3::integer[])))`,
      [batchIds, batchIdOf, serials],
    )
    const wholeBatch = new Map(rows.filter((row) => row.serial === null).map((row) => [row.batchId, row]))
    const ticket = new Map(rows.filter((row) => row.serial !== null).map((row) => [ticketKey(row.batchId, row.serial!), row]))
    return (checkin: CheckinRecord) => wholeBatch.get(checkin.batchId) ?? ticket.get(ticketKey(checkin.batchId, checkin.serial))
  }
}
