// Chunk ingest into PostgreSQL with either driver, everything else equal:
// `npx tsx bench/postgres-drivers.ts [chunks] [--repeat=3]` (default 2,000 chunks of 50 tickets).
//
// node-postgres (`pg`, with its Pool: what the server uses) and postgres.js (`postgres`) each
// commit the same chunks with the same statement, the server's own (a call of
// boxoffice_commit_chunk, which inserts the 50 tickets from two arrays), sequentially and with 8
// in flight on 8 connections. Reported: chunks and tickets per second, and the client process's
// CPU per chunk (the part a driver changes; the database server's share is the same for both).
// PostgreSQL is BOXOFFICE_TEST_DATABASE_URL, or a throwaway cluster for the run.
import { cpuUsage } from 'node:process'
import pg from 'pg'
import postgres from 'postgres'
import { openStorage } from '@boxoffice/testkit/server-storage'
import { createTestDatabase, testServerUrl } from '@boxoffice/testkit/test-database'
import { ThrowawayPostgres } from '@boxoffice/testkit/throwaway-postgres'

const args = process.argv.slice(2)
const chunkTotal = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 2_000)
const repeat = Number(/^--repeat=(\d+)$/.exec(args.find((arg) => arg.startsWith('--repeat=')) ?? '')?.[1] ?? 3)
const CONNECTIONS = 8
const COMMIT = 'SELECT outcome FROM boxoffice_commit_chunk($1, $2, $3, $4::integer[], $5::text[], $6)'

interface Driver {
  name: string
  commit(values: unknown[]): Promise<void>
  end(): Promise<void>
}

function nodePostgres(url: string): Driver {
  const pool = new pg.Pool({ connectionString: url, max: CONNECTIONS })
  return {
    name: 'node-postgres (pg) 8',
    commit: async (values) => void (await pool.query(COMMIT, values)),
    end: () => pool.end(),
  }
}

function postgresJs(url: string): Driver {
  const sql = postgres(url, { max: CONNECTIONS, onnotice: () => {} })
  return {
    name: 'postgres.js 3',
    commit: async (values) => void (await sql.unsafe(COMMIT, values as never[], { prepare: true })),
    end: () => sql.end(),
  }
}

/** A batch of `chunks` chunks, each 50 tickets with realistic 150-character tokens. */
function chunksOf(batchId: string, chunks: number): unknown[][] {
  return Array.from({ length: chunks }, (_, index) => {
    const serials = Array.from({ length: 50 }, (_, offset) => index * 50 + offset)
    const tokens = serials.map((serial) => `A${String(serial).padStart(7, '0')}${'B'.repeat(141)}`)
    return [batchId, index, `digest-${index}`, serials, tokens, new Date().toISOString()]
  })
}

async function run(driver: Driver, chunks: unknown[][], inFlight: number) {
  let next = 0
  const cpuBefore = cpuUsage()
  const started = performance.now()
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < chunks.length) await driver.commit(chunks[next++]!)
    }),
  )
  const seconds = (performance.now() - started) / 1000
  const cpu = cpuUsage(cpuBefore)
  return { chunksPerSecond: chunks.length / seconds, cpuMicrosPerChunk: (cpu.user + cpu.system) / chunks.length }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

let throwaway: ThrowawayPostgres | undefined
const serverUrl = testServerUrl() ?? (throwaway = await ThrowawayPostgres.start({ settings: { fsync: 'on' } })).url
const database = await createTestDatabase(serverUrl)
try {
  // The server's schema, with its commit function.
  const storage = await openStorage({
    backend: 'postgres',
    url: database.url,
    poolSize: 2,
    connectionTimeoutMs: 5_000,
    statementTimeoutMs: 60_000,
  })
  const ticketTypeId = crypto.randomUUID()
  const eventId = crypto.randomUUID()
  await storage.events.createEvent({
    id: eventId,
    name: 'Driver bench',
    startsAt: null,
    timeZone: 'UTC',
    venue: '',
    createdAt: new Date().toISOString(),
    createdBy: null,
    ticketTypes: [],
  })
  await storage.events.putTicketType({
    id: ticketTypeId,
    eventId,
    name: 'General',
    priceMinor: 100,
    currency: 'EUR',
    capacity: 100_000_000,
  })
  const results = new Map<string, { chunksPerSecond: number[]; cpu: number[] }>()
  for (let round = 0; round < repeat; round++) {
    for (const make of [nodePostgres, postgresJs]) {
      for (const inFlight of [1, CONNECTIONS]) {
        const created = await storage.tickets.createBatch({
          id: crypto.randomUUID(),
          ticketTypeId,
          quantity: chunkTotal * 50,
          publicKey: 'k'.repeat(43),
          createdAt: new Date().toISOString(),
          createdBy: null,
        })
        if (created.outcome !== 'created') throw new Error(`the bench batch was not created: ${created.outcome}`)
        const { batch } = created
        const driver = make(database.url)
        // Warm: connections open, statements prepared.
        await Promise.all(
          chunksOf(batch.id, CONNECTIONS).map((values) => driver.commit([crypto.randomUUID(), ...values.slice(1)]).catch(() => {})),
        )
        const figures = await run(driver, chunksOf(batch.id, chunkTotal), inFlight)
        await driver.end()
        const key = `${driver.name}|${inFlight}`
        const entry = results.get(key) ?? { chunksPerSecond: [], cpu: [] }
        entry.chunksPerSecond.push(figures.chunksPerSecond)
        entry.cpu.push(figures.cpuMicrosPerChunk)
        results.set(key, entry)
      }
    }
  }
  await storage.close()
  console.log(
    `\n${chunkTotal.toLocaleString('en-US')} chunks of 50 tickets, medians of ${repeat}, PostgreSQL at ${new URL(serverUrl).host}\n`,
  )
  console.log('| driver | in flight | chunks/s | tickets/s | client CPU µs a chunk |')
  console.log('|---|--:|--:|--:|--:|')
  for (const [key, entry] of results) {
    const [name, inFlight] = key.split('|')
    const rate = median(entry.chunksPerSecond)
    console.log(
      `| ${name} | ${inFlight} | ${Math.round(rate).toLocaleString('en-US')} | ${Math.round(rate * 50).toLocaleString('en-US')} | ${Math.round(median(entry.cpu))} |`,
    )
  }
} finally {
  await database.drop()
  await throwaway?.dispose()
}
