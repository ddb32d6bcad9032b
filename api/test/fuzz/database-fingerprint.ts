// What "the database is unchanged" means for the route properties: every table's row count and
// a SHA-256 over every row of the tables that hold tickets and who may change them.
import { createHash } from 'node:crypto'
import Database from 'better-sqlite3'

const DIGESTED = {
  batches: 'SELECT * FROM batches ORDER BY id',
  chunks: 'SELECT * FROM chunks ORDER BY batch_id, chunk_index',
  tickets: 'SELECT * FROM tickets ORDER BY batch_id, serial',
  accounts: 'SELECT * FROM accounts ORDER BY id',
}

export interface DatabaseFingerprint {
  rowCounts: Record<string, number>
  digest: string
}

/** A read-only connection beside the app's, to fingerprint the file and to notice any commit. */
export function watchDatabase(dbPath: string) {
  const db = new Database(dbPath, { readonly: true })
  const dataVersion = () => db.pragma('data_version', { simple: true }) as number
  return {
    fingerprint(): DatabaseFingerprint {
      const tables = db.prepare<[], string>("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all()
      const rowCounts = Object.fromEntries(tables.map((table) => [table, db.prepare(`SELECT count(*) FROM "${table}"`).pluck().get() as number]))
      const hash = createHash('sha256')
      for (const [table, query] of Object.entries(DIGESTED)) hash.update(`${table}\n${JSON.stringify(db.prepare(query).raw().all())}\n`)
      return { rowCounts, digest: hash.digest('hex') }
    },
    /**
     * SQLite's data_version changes when another connection commits anything: a check after each
     * request that the app wrote nothing at all (a rolled-back transaction does not count).
     */
    dataVersion,
    close: () => db.close(),
  }
}
