import { createHash } from 'node:crypto'
import type { CheckinRecord } from '../checkin-repository.ts'
import type { DatabaseInspection, StoredSession, TicketTablesSnapshot } from '../database-inspection.ts'
import type { PostgresConfig } from '../storage.ts'
import { postgresSchemaVersion } from './migrations.ts'
import { openPostgresStorage } from './postgres-storage.ts'
import { createPool } from './postgres-pool.ts'

const DIGESTED = {
  batches: 'SELECT * FROM batches ORDER BY id',
  chunks: 'SELECT * FROM chunks ORDER BY batch_id, chunk_index',
  tickets: 'SELECT * FROM tickets ORDER BY batch_id, serial',
  accounts: 'SELECT * FROM accounts ORDER BY id',
  ticket_types: 'SELECT * FROM ticket_types ORDER BY id',
}

const TABLES = [
  'accounts',
  'audit_log',
  'batches',
  'checkin_counts',
  'checkins',
  'chunks',
  'devices',
  'events',
  'login_attempts',
  'refused_checkins',
  'revocations',
  'sessions',
  'ticket_types',
  'tickets',
]

/** A pool of its own beside the app's. */
export async function openPostgresInspection(config: PostgresConfig): Promise<DatabaseInspection> {
  const small = { ...config, poolSize: 2 }
  const storage = await openPostgresStorage(small)
  const pool = createPool(small)
  const rows = async <R>(text: string, values?: unknown[]) => (await pool.query(text, values)).rows as R[]
  return {
    storage,
    schemaVersion: () => postgresSchemaVersion(pool),
    snapshot: async (): Promise<TicketTablesSnapshot> => ({
      batches: await rows('SELECT id, state, chunks_received, tickets_received, finished_at, created_by FROM batches ORDER BY id'),
      chunks: await rows('SELECT batch_id, chunk_index, digest FROM chunks ORDER BY batch_id, chunk_index'),
      tickets: await rows('SELECT batch_id, serial, token FROM tickets ORDER BY batch_id, serial'),
    }),
    fingerprint: async () => {
      const rowCounts: Record<string, number> = {}
      for (const table of TABLES) rowCounts[table] = (await rows<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))[0]!.n
      const hash = createHash('sha256')
      for (const [table, query] of Object.entries(DIGESTED)) {
        hash.update(`${table}\n${JSON.stringify((await pool.query({ text: query, rowMode: 'array' })).rows)}\n`)
      }
      return { rowCounts, digest: hash.digest('hex') }
    },
    // Any insert or update gives its rows a newer xmin; any delete changes a count.
    changeMarker: async (except = []) => {
      const parts = TABLES.filter((table) => !except.includes(table)).map(
        (table) => `(SELECT count(*) || ':' || coalesce(max(xmin::text::bigint), 0) FROM ${table})`,
      )
      // Named, so that each connection plans it once: it runs after every fuzzed request.
      const query = { name: `change-marker:${except.join(',')}`, text: `SELECT concat_ws(',', ${parts.join(', ')}) AS marker` }
      return ((await pool.query(query)).rows as { marker: string }[])[0]!.marker
    },
    countRows: async (table, batchId) =>
      (batchId === undefined
        ? await rows<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)
        : await rows<{ n: number }>(`SELECT count(*) AS n FROM ${table} WHERE batch_id = $1`, [batchId]))[0]!.n,
    sessions: () =>
      rows<StoredSession>(
        'SELECT token_hash AS "tokenHash", account_id AS "accountId", created_at AS "createdAt", expires_at AS "expiresAt", last_seen AS "lastSeen" FROM sessions',
      ),
    setSessionTimes: async ({ expiresAt, lastSeen }, tokenHash) =>
      (
        await pool.query(
          'UPDATE sessions SET expires_at = coalesce($1, expires_at), last_seen = coalesce($2, last_seen) WHERE $3::text IS NULL OR token_hash = $3',
          [expiresAt ?? null, lastSeen ?? null, tokenHash ?? null],
        )
      ).rowCount ?? 0,
    checkins: (batchId) =>
      rows<CheckinRecord>(
        `SELECT batch_id AS "batchId", serial, checked_in_at AS "checkedInAt", device_id AS "deviceId", recorded_at AS "recordedAt", recorded_by AS "recordedBy",
                idempotency_key AS "idempotencyKey"
         FROM checkins WHERE batch_id = $1 ORDER BY serial`,
        [batchId],
      ),
    tamperAuditEntry: async (seq, subject) => {
      await pool.query('UPDATE audit_log SET subject = $1 WHERE seq = $2', [subject, seq])
    },
    close: async () => {
      await pool.end()
      await storage.close()
    },
  }
}
