import { createHash } from 'node:crypto'
import Database from 'better-sqlite3'
import type { CheckinRecord } from '../checkin-repository.ts'
import type { DatabaseInspection, StoredSession, TicketTablesSnapshot } from '../database-inspection.ts'
import type { SqliteConfig } from '../storage.ts'
import { schemaVersion } from './migrations.ts'
import { sqliteStorageOn } from './sqlite-storage.ts'

const DIGESTED = {
  batches: 'SELECT * FROM batches ORDER BY id',
  chunks: 'SELECT * FROM chunks ORDER BY batch_id, chunk_index',
  tickets: 'SELECT * FROM tickets ORDER BY batch_id, serial',
  accounts: 'SELECT * FROM accounts ORDER BY id',
  ticket_types: 'SELECT * FROM ticket_types ORDER BY id',
}

/** A second connection to the file, beside the app's (WAL lets it read while the app writes). */
export function openSqliteInspection(config: SqliteConfig): DatabaseInspection {
  const db = new Database(config.path, { fileMustExist: true })
  db.pragma('busy_timeout = 5000')
  const storage = sqliteStorageOn(db)
  const inspection: DatabaseInspection = {
    storage,
    schemaVersion: async () => schemaVersion(db),
    snapshot: async (): Promise<TicketTablesSnapshot> => ({
      batches: db
        .prepare('SELECT id, state, chunks_received, tickets_received, finished_at, created_by FROM batches ORDER BY id')
        .all() as TicketTablesSnapshot['batches'],
      chunks: db
        .prepare('SELECT batch_id, chunk_index, digest FROM chunks ORDER BY batch_id, chunk_index')
        .all() as TicketTablesSnapshot['chunks'],
      tickets: db.prepare('SELECT batch_id, serial, token FROM tickets ORDER BY batch_id, serial').all() as TicketTablesSnapshot['tickets'],
    }),
    fingerprint: async () => {
      const tables = db.prepare<[], string>("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all()
      const rowCounts = Object.fromEntries(
        tables.map((table) => [table, db.prepare(`SELECT count(*) FROM "${table}"`).pluck().get() as number]),
      )
      const hash = createHash('sha256')
      for (const [table, query] of Object.entries(DIGESTED)) hash.update(`${table}\n${JSON.stringify(db.prepare(query).raw().all())}\n`)
      return { rowCounts, digest: hash.digest('hex') }
    },
    // SQLite's data_version changes when another connection commits anything (a rolled-back transaction does not count).
    changeMarker: async (except = []) => {
      if (except.length === 0) return String(db.pragma('data_version', { simple: true }))
      const { rowCounts, digest } = await inspection.fingerprint()
      return JSON.stringify([Object.entries(rowCounts).filter(([table]) => !except.includes(table)), digest])
    },
    countRows: async (table, batchId) =>
      (batchId === undefined
        ? db.prepare(`SELECT count(*) FROM ${table}`).pluck().get()
        : db.prepare(`SELECT count(*) FROM ${table} WHERE batch_id = ?`).pluck().get(batchId)) as number,
    sessions: async () =>
      db
        .prepare(
          'SELECT token_hash AS tokenHash, account_id AS accountId, created_at AS createdAt, expires_at AS expiresAt, last_seen AS lastSeen FROM sessions',
        )
        .all() as StoredSession[],
    setSessionTimes: async ({ expiresAt, lastSeen }, tokenHash) =>
      db
        .prepare(
          'UPDATE sessions SET expires_at = coalesce(?, expires_at), last_seen = coalesce(?, last_seen) WHERE ? IS NULL OR token_hash = ?',
        )
        .run(expiresAt ?? null, lastSeen ?? null, tokenHash ?? null, tokenHash ?? null).changes,
    checkins: async (batchId) =>
      db
        .prepare(
          `SELECT batch_id AS batchId, serial, checked_in_at AS checkedInAt, device_id AS deviceId, recorded_at AS recordedAt, recorded_by AS recordedBy,
             idempotency_key AS idempotencyKey
           FROM checkins WHERE batch_id = ? ORDER BY serial`,
        )
        .all(batchId) as CheckinRecord[],
    tamperAuditEntry: async (seq, subject) => {
      db.prepare('UPDATE audit_log SET subject = ? WHERE seq = ?').run(subject, seq)
    },
    close: () => storage.close(),
  }
  return inspection
}
