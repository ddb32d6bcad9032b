// What tests, the bench and the load test read (and, for sessions, change) straight from the
// database, past the repositories: the app itself never uses it. It sits here so that their SQL
// lives with the rest, in sqlite/ and postgres/, and they work on either backend alike.
import type { CheckinRecord } from './checkin-repository.ts'
import type { Storage, StorageConfig } from './storage.ts'

/** Rows as the tables hold them (column names as in the schema), in key order. */
export interface TicketTablesSnapshot {
  batches: {
    id: string
    state: string
    chunks_received: number
    tickets_received: number
    finished_at: string | null
    created_by: number | null
  }[]
  chunks: { batch_id: string; chunk_index: number; digest: string }[]
  tickets: { batch_id: string; serial: number; token: string }[]
}

export interface DatabaseFingerprint {
  /** Rows in every table. */
  rowCounts: Record<string, number>
  /** SHA-256 over every row of the tables that hold tickets and who may change them. */
  digest: string
}

export interface StoredSession {
  tokenHash: string
  accountId: number
  createdAt: string
  expiresAt: string
  lastSeen: string
}

export interface DatabaseInspection {
  /** The repositories, on the inspection's own connection (not the app's). */
  readonly storage: Storage
  schemaVersion(): Promise<number>
  snapshot(): Promise<TicketTablesSnapshot>
  fingerprint(): Promise<DatabaseFingerprint>
  /**
   * Cheap, and different after any other connection commits a change: checked after each of
   * thousands of fuzzed requests that none of them wrote anything. With `except`, changes to
   * those tables do not count (on SQLite, which versions only the whole file, this reads the
   * fingerprint instead: slower).
   */
  changeMarker(except?: readonly string[]): Promise<string>
  countRows(
    table: 'tickets' | 'chunks' | 'batches' | 'sessions' | 'checkins' | 'login_attempts' | 'audit_log' | 'devices' | 'refused_checkins',
    batchId?: string,
  ): Promise<number>
  sessions(): Promise<StoredSession[]>
  /** Sets the times of every session, or of the one with `tokenHash`, as time passing would; returns how many changed. */
  setSessionTimes(times: { expiresAt?: string; lastSeen?: string }, tokenHash?: string): Promise<number>
  checkins(batchId: string): Promise<CheckinRecord[]>
  /** Rewrites an audit entry's subject past the API, as someone holding the database could. */
  tamperAuditEntry(seq: number, subject: string): Promise<void>
  close(): Promise<void>
}

/** An inspection of the database `config` names, which the app has created and migrated. */
export async function openInspection(config: StorageConfig): Promise<DatabaseInspection> {
  switch (config.backend) {
    case 'sqlite': {
      const { openSqliteInspection } = await import('./sqlite/sqlite-inspection.ts')
      return openSqliteInspection(config)
    }
    case 'postgres': {
      const { openPostgresInspection } = await import('./postgres/postgres-inspection.ts')
      return openPostgresInspection(config)
    }
  }
}
