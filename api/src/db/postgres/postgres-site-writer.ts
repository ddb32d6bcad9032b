import { CHUNK_SIZE } from '@boxoffice/tickets'
import { SITE_TABLES, type ChunkContent, type SiteCounts, type SitePage, type SiteWriter, type SiteTable } from '../site-transfer.ts'
import { migratePostgres } from './migrations.ts'
import { createPool } from './postgres-pool.ts'

/** Every copied column with its PostgreSQL type, in the order the rows are inserted. */
const COLUMNS: Record<SiteTable, [string, string][]> = {
  accounts: [
    ['id', 'integer'],
    ['username', 'text'],
    ['password_hash', 'text'],
    ['role', 'text'],
    ['disabled_at', 'timestamptz'],
    ['created_at', 'timestamptz'],
    ['must_change_password', 'boolean'],
  ],
  sessions: [
    ['token_hash', 'text'],
    ['account_id', 'integer'],
    ['created_at', 'timestamptz'],
    ['expires_at', 'timestamptz'],
    ['last_seen', 'timestamptz'],
  ],
  events: [
    ['id', 'text'],
    ['name', 'text'],
    ['starts_at', 'text'],
    ['time_zone', 'text'],
    ['venue', 'text'],
    ['created_at', 'timestamptz'],
    ['created_by', 'integer'],
  ],
  // seq (here and in batches) is left to its identity: rows arrive in the order they were created.
  ticket_types: [
    ['id', 'text'],
    ['event_id', 'text'],
    ['name', 'text'],
    ['price_minor', 'integer'],
    ['currency', 'text'],
    ['capacity', 'integer'],
    ['issued', 'integer'],
  ],
  batches: [
    ['id', 'text'],
    ['event', 'text'],
    ['ticket_type', 'text'],
    ['price_minor', 'integer'],
    ['currency', 'text'],
    ['quantity', 'integer'],
    ['public_key', 'text'],
    ['state', 'text'],
    ['created_at', 'timestamptz'],
    ['finished_at', 'timestamptz'],
    ['chunks_received', 'integer'],
    ['tickets_received', 'integer'],
    ['created_by', 'integer'],
    ['ticket_type_id', 'text'],
  ],
  chunks: [
    ['batch_id', 'text'],
    ['chunk_index', 'integer'],
    ['digest', 'text'],
    ['ticket_count', 'integer'],
    ['committed_at', 'timestamptz'],
  ],
  tickets: [
    ['batch_id', 'text'],
    ['serial', 'integer'],
    ['token', 'text'],
  ],
  checkins: [
    ['batch_id', 'text'],
    ['serial', 'integer'],
    ['checked_in_at', 'text'],
    ['device_id', 'text'],
    ['recorded_at', 'timestamptz'],
    ['recorded_by', 'integer'],
    ['idempotency_key', 'text'],
  ],
  checkin_counts: [
    ['ticket_type_id', 'text'],
    ['bucket', 'timestamptz'],
    ['count', 'integer'],
  ],
  revocations: [
    ['batch_id', 'text'],
    ['serial', 'integer'],
    ['revoked_at', 'timestamptz'],
    ['reason', 'text'],
    ['revoked_by', 'integer'],
  ],
  devices: [
    ['id', 'text'],
    ['name', 'text'],
    ['key_hash', 'text'],
    ['created_at', 'timestamptz'],
    ['created_by', 'integer'],
    ['revoked_at', 'timestamptz'],
    ['revoked_by', 'integer'],
    ['last_sync_at', 'timestamptz'],
  ],
  refused_checkins: [
    ['id', 'bigint'],
    ['device_id', 'text'],
    ['token', 'text'],
    ['checked_in_at', 'text'],
    ['received_at', 'timestamptz'],
  ],
  audit_log: [
    ['seq', 'bigint'],
    ['at', 'text'],
    ['actor', 'text'],
    ['ip', 'text'],
    ['device', 'text'],
    ['action', 'text'],
    ['subject', 'text'],
    ['detail', 'text'],
    ['prev_hash', 'text'],
    ['hash', 'text'],
  ],
}

/** One INSERT per page, its rows passed as one array per column (unnest). */
function insertStatement(table: SiteTable): string {
  const columns = COLUMNS[table]
  const names = columns.map(([name]) => name).join(', ')
  const arrays = columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')
  return `INSERT INTO ${table} (${names}) SELECT * FROM unnest(${arrays})`
}

/** The target of a move: a PostgreSQL database, migrated to this version's schema first. */
export async function openPostgresSiteWriter(url: string): Promise<SiteWriter> {
  const pool = createPool({ url, poolSize: 2, connectionTimeoutMs: 10_000, statementTimeoutMs: 600_000 })
  try {
    await migratePostgres(pool)
  } catch (error) {
    await pool.end()
    throw error
  }
  return {
    counts: async () => {
      const counts = {} as SiteCounts
      for (const table of SITE_TABLES) counts[table] = (await pool.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n
      return counts
    },
    async writeAll(pages: AsyncIterable<SitePage>, onPage?: (page: SitePage) => void) {
      const client = await pool.connect()
      let failed: Error | undefined
      try {
        await client.query('BEGIN')
        for await (const page of pages) {
          const columns = COLUMNS[page.table]
          await client.query(
            insertStatement(page.table),
            columns.map(([name]) => page.rows.map((row) => row[name] ?? null)),
          )
          onPage?.(page)
        }
        // Identity columns continue after the ids copied, so new accounts do not collide.
        await client.query("SELECT setval(pg_get_serial_sequence('accounts', 'id'), max(id)) FROM accounts HAVING max(id) IS NOT NULL")
        await client.query(
          "SELECT setval(pg_get_serial_sequence('refused_checkins', 'id'), max(id)) FROM refused_checkins HAVING max(id) IS NOT NULL",
        )
        await client.query('COMMIT')
      } catch (error) {
        failed = error as Error
        await client.query('ROLLBACK').catch(() => {})
        throw error
      } finally {
        client.release(failed)
      }
    },
    async *chunks(): AsyncGenerator<ChunkContent> {
      let after: [string, number] = ['', -1]
      for (;;) {
        // Keyset pages of chunks; each chunk's tickets by its serial range.
        const { rows } = await pool.query<{ batchId: string; index: number; storedDigest: string }>(
          `SELECT batch_id AS "batchId", chunk_index AS index, digest AS "storedDigest" FROM chunks
           WHERE (batch_id, chunk_index) > ($1, $2) ORDER BY batch_id, chunk_index LIMIT 1000`,
          after,
        )
        if (rows.length === 0) return
        for (const chunk of rows) {
          const first = chunk.index * CHUNK_SIZE
          const tickets = await pool.query<{ token: string }>(
            'SELECT token FROM tickets WHERE batch_id = $1 AND serial BETWEEN $2 AND $3 ORDER BY serial',
            [chunk.batchId, first, first + CHUNK_SIZE - 1],
          )
          yield { ...chunk, tokens: tickets.rows.map((row) => row.token) }
        }
        const last = rows.at(-1)!
        after = [last.batchId, last.index]
      }
    },
    close: () => pool.end(),
  }
}
