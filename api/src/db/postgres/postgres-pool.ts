import pg from 'pg'
import type { PostgresConfig } from '../storage.ts'

const TIMESTAMPTZ = 1184
const INT8 = 20
const parseTimestamp = pg.types.getTypeParser(TIMESTAMPTZ)

/**
 * The repositories' contract speaks ISO 8601 UTC strings, as `Date.prototype.toISOString` writes
 * them; timestamptz columns are read back in that form. Counts (int8) fit a JS number.
 */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === TIMESTAMPTZ) return (value: string) => (parseTimestamp(value) as Date).toISOString()
    if (oid === INT8) return (value: string) => Number(value)
    return pg.types.getTypeParser(oid, format)
  },
} as pg.CustomTypesConfig

/**
 * A bounded pool: at most `poolSize` connections; a caller that waits longer than
 * `connectionTimeoutMs` for one is refused (503), never left hanging; every statement is cancelled
 * by the server after `statementTimeoutMs`.
 */
export function createPool(config: Omit<PostgresConfig, 'backend'>): pg.Pool {
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.poolSize,
    connectionTimeoutMillis: config.connectionTimeoutMs,
    idleTimeoutMillis: 30_000,
    statement_timeout: config.statementTimeoutMs,
    // Visible in pg_stat_activity, so an operator tells Boxoffice's connections apart.
    application_name: 'boxoffice',
    types,
  })
  // An idle connection that breaks (the server restarted, a failover) is dropped by the pool and
  // replaced on the next checkout; without a listener the 'error' event would end the process.
  pool.on('error', () => {})
  return pool
}

/** The URL without its password, for logs. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.toString()
  } catch {
    return 'postgres://…'
  }
}
