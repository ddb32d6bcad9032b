import type Database from 'better-sqlite3'
import { toRanges } from '@boxoffice/tickets'
import type {
  BatchRevocations,
  CheckinRecord,
  CheckinRepository,
  NewRevocation,
  RecordCheckinResult,
  RevocationRecord,
  TicketState,
} from '../checkin-repository.ts'
import { checkinBucketOf } from '../event-repository.ts'
import { sqliteOperation } from './sqlite-errors.ts'

const REVOCATION_COLUMNS = `
  r.batch_id AS batchId, r.serial, r.revoked_at AS revokedAt, r.reason, r.revoked_by AS revokedBy,
  a.username AS revokedByUsername`
const REVOCATIONS = 'revocations AS r LEFT JOIN accounts AS a ON a.id = r.revoked_by'

/**
 * A check-in is one `INSERT … ON CONFLICT DO NOTHING` on the (batch, serial) primary key: SQLite
 * runs each statement atomically under the database's write lock, so whichever insert reaches it
 * first wins and every other sees `changes = 0`, across connections and processes alike.
 */
export class SqliteCheckinRepository implements CheckinRepository {
  readonly #db: Database.Database
  readonly #statements

  constructor(db: Database.Database) {
    this.#db = db
    this.#statements = {
      insertCheckin: db.prepare<[CheckinRecord]>(`
        INSERT INTO checkins (batch_id, serial, checked_in_at, device_id, recorded_at, recorded_by, idempotency_key)
        VALUES (@batchId, @serial, @checkedInAt, @deviceId, @recordedAt, @recordedBy, @idempotencyKey)
        ON CONFLICT (batch_id, serial) DO NOTHING`),
      checkinWithUsername: db.prepare<[string, number], CheckinRecord & { recordedByUsername: string | null }>(`
        SELECT c.batch_id AS batchId, c.serial, c.checked_in_at AS checkedInAt, c.device_id AS deviceId,
          c.recorded_at AS recordedAt, c.recorded_by AS recordedBy, c.idempotency_key AS idempotencyKey, a.username AS recordedByUsername
        FROM checkins AS c LEFT JOIN accounts AS a ON a.id = c.recorded_by WHERE c.batch_id = ? AND c.serial = ?`),
      selectCheckin: db.prepare<[string, number], CheckinRecord>(`
        SELECT batch_id AS batchId, serial, checked_in_at AS checkedInAt, device_id AS deviceId,
          recorded_at AS recordedAt, recorded_by AS recordedBy, idempotency_key AS idempotencyKey
        FROM checkins WHERE batch_id = ? AND serial = ?`),
      // The whole batch's revocation (serial NULL, i.e. -1) sorts before the ticket's own.
      revocationOfTicket: db.prepare<[string, number], RevocationRecord>(`
        SELECT ${REVOCATION_COLUMNS} FROM ${REVOCATIONS}
        WHERE r.batch_id = ? AND ifnull(r.serial, -1) IN (-1, ?)
        ORDER BY ifnull(r.serial, -1) LIMIT 1`),
      revocation: db.prepare<[string, number | null], RevocationRecord>(`
        SELECT ${REVOCATION_COLUMNS} FROM ${REVOCATIONS}
        WHERE r.batch_id = ? AND ifnull(r.serial, -1) = ifnull(?, -1)`),
      insertRevocation: db.prepare<[NewRevocation]>(`
        INSERT INTO revocations (batch_id, serial, revoked_at, reason, revoked_by)
        VALUES (@batchId, @serial, @revokedAt, @reason, @revokedBy)
        ON CONFLICT DO NOTHING`),
      // The door dashboard's counter: one more check-in of the ticket's type in its 5 minutes.
      countCheckin: db.prepare<[{ bucket: string; batchId: string }]>(`
        INSERT INTO checkin_counts (ticket_type_id, bucket, count)
        SELECT ticket_type_id, @bucket, 1 FROM batches WHERE id = @batchId
        ON CONFLICT (ticket_type_id, bucket) DO UPDATE SET count = count + 1`),
      revokedSerials: db
        .prepare<[string], number>('SELECT serial FROM revocations WHERE batch_id = ? AND serial IS NOT NULL ORDER BY serial')
        .pluck(),
    }
  }

  async recordCheckins(checkins: readonly CheckinRecord[]): Promise<RecordCheckinResult[]> {
    const s = this.#statements
    const record = this.#db.transaction(() =>
      checkins.map((checkin): RecordCheckinResult => {
        // Read under the same write lock as the insert, so a revocation cannot slip in between.
        const revocation = s.revocationOfTicket.get(checkin.batchId, checkin.serial)
        if (revocation) return { outcome: 'revoked', revocation }
        if (s.insertCheckin.run(checkin).changes === 1) {
          s.countCheckin.run({ bucket: checkinBucketOf(checkin.checkedInAt), batchId: checkin.batchId })
          return { outcome: 'recorded' }
        }
        return { outcome: 'already', first: s.selectCheckin.get(checkin.batchId, checkin.serial)! }
      }),
    )
    return sqliteOperation('recordCheckins', () => record.immediate())
  }

  async revoke(revocation: NewRevocation): Promise<{ created: boolean; revocation: RevocationRecord }> {
    const s = this.#statements
    const revoke = this.#db.transaction(() => {
      const { changes } = s.insertRevocation.run(revocation)
      return { created: changes === 1, revocation: s.revocation.get(revocation.batchId, revocation.serial)! }
    })
    return sqliteOperation('revoke', () => revoke.immediate())
  }

  async ticketState(batchId: string, serial: number): Promise<TicketState> {
    return sqliteOperation('ticketState', () => ({
      checkin: this.#statements.checkinWithUsername.get(batchId, serial),
      revocation: this.#statements.revocationOfTicket.get(batchId, serial),
    }))
  }

  async revocationsOf(batchId: string): Promise<BatchRevocations> {
    return sqliteOperation('revocationsOf', () => ({
      batch: this.#statements.revocation.get(batchId, null),
      serials: toRanges(this.#statements.revokedSerials.iterate(batchId)),
    }))
  }
}
