// Moving a whole site from one database to another (`pnpm boxoffice migrate-to-postgres`): every
// row of every table that matters, read from the source in key order and written to the target
// in one transaction, then both sides compared. Rows are plain records with the schema's column
// names, which both backends share; each backend reads and writes its own SQL.

/** The tables copied, in an order that satisfies every foreign key. Sign-in attempts are not: they expire within minutes. */
export const SITE_TABLES = [
  'accounts',
  'sessions',
  'events',
  'ticket_types',
  'batches',
  'chunks',
  'tickets',
  'checkins',
  'checkin_counts',
  'revocations',
  'devices',
  'refused_checkins',
  'audit_log',
] as const
export type SiteTable = (typeof SITE_TABLES)[number]

export type SiteRow = Record<string, string | number | null>

export interface SitePage {
  table: SiteTable
  rows: SiteRow[]
}

export type SiteCounts = Record<SiteTable, number>

/** A chunk's stored digest, and the tokens the database holds for its serials, in serial order. */
export interface ChunkContent {
  batchId: string
  index: number
  storedDigest: string
  tokens: string[]
}

export interface SiteReader {
  counts(): Promise<SiteCounts>
  /** Every row, table by table in SITE_TABLES order, a few thousand at a time. */
  pages(): AsyncIterable<SitePage>
  /** Every chunk with its tickets, in (batch, index) order. */
  chunks(): AsyncIterable<ChunkContent>
  close(): Promise<void>
}

export interface SiteWriter extends Omit<SiteReader, 'pages'> {
  /**
   * Writes every page in one transaction, so that a failure leaves the target as empty as it
   * was, and the copy can simply be run again. Keeps the rows' ids, and moves the id sequences
   * past them.
   */
  writeAll(pages: AsyncIterable<SitePage>, onPage?: (page: SitePage) => void): Promise<void>
}
