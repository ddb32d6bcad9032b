import Database from 'better-sqlite3'
import { CHUNK_SIZE } from '@boxoffice/tickets'
import {
  SITE_TABLES,
  type ChunkContent,
  type SiteCounts,
  type SitePage,
  type SiteReader,
  type SiteRow,
  type SiteTable,
} from '../site-transfer.ts'
import { latestVersion, schemaVersion } from './migrations.ts'

const PAGE = 5_000

/** Each table's rows in key order; rowid keeps the order batches and revocations were made in. */
const ORDERED: Record<SiteTable, string> = {
  accounts: 'SELECT * FROM accounts ORDER BY id',
  sessions: 'SELECT * FROM sessions ORDER BY token_hash',
  events: 'SELECT * FROM events ORDER BY rowid',
  ticket_types: 'SELECT * FROM ticket_types ORDER BY rowid',
  batches: 'SELECT * FROM batches ORDER BY rowid',
  chunks: 'SELECT * FROM chunks ORDER BY batch_id, chunk_index',
  tickets: 'SELECT * FROM tickets ORDER BY batch_id, serial',
  checkins: 'SELECT * FROM checkins ORDER BY batch_id, serial',
  checkin_counts: 'SELECT * FROM checkin_counts ORDER BY ticket_type_id, bucket',
  revocations: 'SELECT batch_id, serial, revoked_at, reason, revoked_by FROM revocations ORDER BY rowid',
  devices: 'SELECT * FROM devices ORDER BY rowid',
  refused_checkins: 'SELECT * FROM refused_checkins ORDER BY id',
  // The chain's hashes cover each entry's text exactly as stored, so it is copied as it is.
  audit_log: 'SELECT * FROM audit_log ORDER BY seq',
}

/**
 * Reads a site's SQLite file on a read-only connection of its own (the server may keep running,
 * but what it writes meanwhile may be missed: stop it for the move). Refuses a file this version
 * has not migrated, so that every column is where the writer expects it.
 */
export function openSqliteSiteReader(path: string): SiteReader {
  const db = new Database(path, { readonly: true, fileMustExist: true })
  const version = schemaVersion(db)
  if (version !== latestVersion()) {
    db.close()
    throw new Error(
      `${path} is at schema version ${version}, not ${latestVersion()}: start this version's server on it once (it migrates the file), then move it`,
    )
  }
  return {
    counts: async () =>
      Object.fromEntries(
        SITE_TABLES.map((table) => [table, db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number]),
      ) as SiteCounts,
    async *pages(): AsyncGenerator<SitePage> {
      for (const table of SITE_TABLES) {
        let rows: SiteRow[] = []
        // The connection only reads, so a long iteration blocks nobody.
        for (const row of db.prepare(ORDERED[table]).iterate() as IterableIterator<SiteRow>) {
          rows.push(row)
          if (rows.length === PAGE) {
            yield { table, rows }
            rows = []
          }
        }
        if (rows.length > 0) yield { table, rows }
      }
    },
    async *chunks(): AsyncGenerator<ChunkContent> {
      const tokens = db
        .prepare<[string, number, number], string>(
          'SELECT token FROM tickets WHERE batch_id = ? AND serial BETWEEN ? AND ? ORDER BY serial',
        )
        .pluck()
      const chunks = db.prepare<[], { batchId: string; index: number; storedDigest: string }>(
        'SELECT batch_id AS batchId, chunk_index AS "index", digest AS storedDigest FROM chunks ORDER BY batch_id, chunk_index',
      )
      for (const chunk of chunks.all()) {
        const first = chunk.index * CHUNK_SIZE
        yield { ...chunk, tokens: tokens.all(chunk.batchId, first, first + CHUNK_SIZE - 1) }
      }
    },
    close: async () => {
      db.close()
    },
  }
}
