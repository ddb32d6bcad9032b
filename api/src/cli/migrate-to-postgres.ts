// `boxoffice migrate-to-postgres --from data/boxoffice.db --to postgres://…`: moves a site from
// its SQLite file to PostgreSQL. It refuses a target that holds anything, copies every table in
// one transaction (a failure leaves the target empty, so the command can simply be run again),
// then checks both sides: every table's row count, every chunk's digest, and that each chunk's
// tickets on the target hash to that digest.
import { chunkDigest } from '../ingest/chunk-digest.ts'
import { SITE_TABLES, type ChunkContent, type SiteCounts, type SiteReader, type SiteWriter } from '../db/site-transfer.ts'
import { UsageError } from './user-commands.ts'

export interface MigrateCommand {
  from: string
  to: string
}

export function parseMigrateCommand(argv: readonly string[]): MigrateCommand {
  let from: string | undefined
  let to: string | undefined
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split(/=(.*)/s, 2) as [string, string | undefined]
    const value = inline ?? argv[++i]
    if (flag === '--from') from = value
    else if (flag === '--to') to = value
    else
      throw new UsageError(
        `migrate-to-postgres takes --from FILE and --to URL; got ${JSON.stringify(argv[i - (inline === undefined ? 1 : 0)])}`,
      )
  }
  if (!from) throw new UsageError('migrate-to-postgres needs --from, the SQLite file (e.g. data/boxoffice.db)')
  if (!to || !/^postgres(ql)?:\/\//.test(to))
    throw new UsageError('migrate-to-postgres needs --to, a PostgreSQL URL (postgres://user:password@host:port/database)')
  return { from, to }
}

/** A refusal or a failed check, for the operator. */
export class MigrationError extends Error {
  override name = 'MigrationError'
}

export interface MigrateDeps {
  source: SiteReader
  target: SiteWriter
  print(text: string): void
}

export async function migrateSite({ source, target, print }: MigrateDeps): Promise<SiteCounts> {
  const already = await target.counts()
  const held = SITE_TABLES.filter((table) => already[table] > 0)
  if (held.length > 0) {
    throw new MigrationError(
      `the target database is not empty (${held.map((table) => `${already[table].toLocaleString('en-US')} ${table}`).join(', ')}): give an empty database; nothing was copied`,
    )
  }
  const counts = await source.counts()
  print(`copying ${SITE_TABLES.map((table) => `${counts[table].toLocaleString('en-US')} ${table}`).join(', ')}…`)
  let copied = 0
  let reported = 0
  const total = SITE_TABLES.reduce((sum, table) => sum + counts[table], 0)
  await target.writeAll(source.pages(), (page) => {
    copied += page.rows.length
    if (copied - reported >= 200_000) {
      reported = copied
      print(`  ${copied.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} rows`)
    }
  })

  const after = await target.counts()
  const differing = SITE_TABLES.filter((table) => after[table] !== counts[table])
  if (differing.length > 0) {
    throw new MigrationError(
      `row counts differ after the copy: ${differing.map((table) => `${table} ${counts[table]} → ${after[table]}`).join(', ')}`,
    )
  }
  const chunks = await compareChunks(source.chunks(), target.chunks())
  print(`verified: every row count equal, ${chunks.toLocaleString('en-US')} chunk digests equal on both sides and matching their tickets`)
  return counts
}

/** Walks both sides' chunks in step; returns how many were compared. */
async function compareChunks(sourceChunks: AsyncIterable<ChunkContent>, targetChunks: AsyncIterable<ChunkContent>): Promise<number> {
  const targets = targetChunks[Symbol.asyncIterator]()
  let compared = 0
  for await (const expected of sourceChunks) {
    const { value: actual, done } = await targets.next()
    const name = `chunk ${expected.index} of batch ${expected.batchId}`
    if (done || actual.batchId !== expected.batchId || actual.index !== expected.index)
      throw new MigrationError(`${name} is missing on the target`)
    if (actual.storedDigest !== expected.storedDigest) throw new MigrationError(`${name} has another digest on the target`)
    if (chunkDigest(actual.tokens) !== actual.storedDigest)
      throw new MigrationError(`${name}: its tickets on the target do not match its digest`)
    compared++
  }
  if (!(await targets.next()).done) throw new MigrationError('the target holds chunks the source does not')
  return compared
}
