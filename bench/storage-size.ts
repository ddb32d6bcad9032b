// Bytes a stored ticket takes on disk: `npx tsx bench/storage-size.ts [tickets] [--db=sqlite|postgres]`
// (default 100,000). Uploads that many tickets through the real server (signatures, 8 in flight,
// batches of 50,000), then measures the database: SQLite's file after a checkpoint (tables and
// indexes, free pages excluded), or PostgreSQL's tables with their indexes and TOAST after VACUUM.
import { statSync } from 'node:fs'
import { parseArgs } from 'node:util'
import pg from 'pg'
import Database from 'better-sqlite3'
import { ApiProcess } from '@boxoffice/testkit/api-process'
import { FreshDatabases, type Backend } from '@boxoffice/testkit/fresh-databases'
import { prepareSignedBatch, uploadPrepared } from '@boxoffice/testkit/signed-batch'
import { setUpAccess } from './server-access.ts'

const { values, positionals } = parseArgs({ options: { db: { type: 'string', default: 'sqlite' } }, allowPositionals: true })
const quantity = Number(positionals[0] ?? 100_000)
if (values.db !== 'sqlite' && values.db !== 'postgres') throw new Error(`--db takes sqlite or postgres; got ${values.db}`)
if (!Number.isInteger(quantity) || quantity < 1_000 || quantity > 1_000_000)
  throw new Error(`tickets: 1,000 to 1,000,000; got ${positionals[0]}`)
const backend: Backend = values.db

const databases = new FreshDatabases(backend)
const database = await databases.next()
const api = new ApiProcess({ database })
await api.start()
try {
  const access = await setUpAccess(api)
  for (let uploaded = 0; uploaded < quantity; uploaded += 50_000) {
    await uploadPrepared(api.baseURL, access.headers, await prepareSignedBatch(Math.min(50_000, quantity - uploaded)), 8)
  }
  const stored = api.database // the server's own temporary file when `databases` gave none
  const tables = stored.backend === 'sqlite' ? sqliteSizes(stored.path) : await postgresSizes(stored.url)
  const total = tables.reduce((sum, { bytes }) => sum + bytes, 0)
  console.log(`${quantity.toLocaleString('en-US')} tickets on ${databases.describe()}`)
  for (const { name, bytes } of tables.filter(({ bytes }) => bytes > 0)) {
    console.log(
      `  ${name.padEnd(28)} ${(bytes / 1_048_576).toFixed(1).padStart(7)} MB  ${(bytes / quantity).toFixed(1).padStart(6)} B a ticket`,
    )
  }
  console.log(
    `  ${'all'.padEnd(28)} ${(total / 1_048_576).toFixed(1).padStart(7)} MB  ${(total / quantity).toFixed(1).padStart(6)} B a ticket`,
  )
} finally {
  await api.dispose()
  await databases.dispose()
}

/** Each table's and index's pages (dbstat), after folding the WAL into the file. */
function sqliteSizes(path: string) {
  const db = new Database(path)
  try {
    db.pragma('wal_checkpoint(TRUNCATE)')
    const rows = db.prepare('SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC').all() as {
      name: string
      bytes: number
    }[]
    console.log(`SQLite file ${(statSync(path).size / 1_048_576).toFixed(1)} MB`)
    return rows
  } finally {
    db.close()
  }
}

/** Each table with its indexes and TOAST (pg_total_relation_size), after VACUUM. */
async function postgresSizes(url: string) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query('VACUUM ANALYZE')
    const { rows } = await client.query<{ name: string; bytes: string }>(
      `SELECT c.relname AS name, pg_total_relation_size(c.oid) AS bytes FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = current_schema() AND c.relkind = 'r' ORDER BY 2 DESC`,
    )
    return rows.map(({ name, bytes }) => ({ name, bytes: Number(bytes) }))
  } finally {
    await client.end()
  }
}
