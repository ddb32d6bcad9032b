// Ingest throughput over real HTTP: `npx tsx bench/ingest.ts [tickets] [--threads=0,2] [--repeat=3]
// [--db=sqlite|postgres] [--instances=N]` (default 20,000 tickets; threads 0 = in-process
// verification, then os.availableParallelism(); each cell is the median of `repeat` rounds, the
// modes taking turns within a round).
//
// Each server mode runs as the real server (api/src/server.ts) in a child process on a fresh
// database (a temp SQLite file, or a PostgreSQL database: BOXOFFICE_TEST_DATABASE_URL's server, or
// a throwaway cluster with PostgreSQL's default durability), so the client's own CPU does not run
// on the server's main thread (it still shares the machine's cores, as the browser will). With
// --instances above 1, that many servers share the PostgreSQL database behind nginx
// (deploy/nginx/boxoffice.conf, HTTPS). Every chunk is signed and encoded up front, so only the
// upload is timed. For each mode it uploads one batch per cell: 1, 4 and 8 requests in flight,
// with plain JSON bodies, with `Content-Encoding: gzip` (node:zlib), as signatures alone (what
// the browser sent before runs), and as runs of 32 chunks of signatures in one request (what it
// sends now, `PUT …/chunks/:first-:last`; in-flight counts requests, so runs carry 32 times more). The server verifies every token's signature on the way in. Server CPU is
// every API process's; on a PostgreSQL cluster of the run's own, the database's is counted too.
import { availableParallelism, loadavg } from 'node:os'
import { gunzipSync, gzipSync } from 'node:zlib'
import {
  MAX_RUN_CHUNKS,
  SIGNATURE_CHUNK_MEDIA_TYPE,
  chunkCount,
  type BatchStatus,
  type ChunkRunResult,
  type CreateBatchBody,
  type CreateEventBody,
} from '@boxoffice/tickets'
import { Agent, fetch } from 'undici'
import { ApiProcess } from '@boxoffice/testkit/api-process'
import { FreshDatabases, type Backend } from '@boxoffice/testkit/fresh-databases'
import { ScaledOutApi } from '@boxoffice/testkit/scaled-out-api'
import { databaseCpuSeconds, processCpuSeconds } from './cpu-accounting.ts'
import { prepareSignedBatch } from '@boxoffice/testkit/signed-batch'
import { setUpAccess } from './server-access.ts'
const IN_FLIGHT = [1, 4, 8] as const
const ENCODINGS = ['plain', 'gzip', 'signatures', 'runs'] as const
type Encoding = (typeof ENCODINGS)[number]

const { quantity, threadCounts, repeat, backend, instances } = parseArguments(process.argv.slice(2))

function parseArguments(args: string[]) {
  let quantity = 20_000
  let threadCounts = [0, availableParallelism()]
  let repeat = 1
  let backend: Backend = 'sqlite'
  let instances = 1
  for (const arg of args) {
    const threads = /^--threads=([\d,]+)$/.exec(arg)
    const rounds = /^--repeat=([1-9]\d?)$/.exec(arg)
    const db = /^--db=(sqlite|postgres)$/.exec(arg)
    const scaled = /^--instances=([1-9])$/.exec(arg)
    if (threads) threadCounts = threads[1]!.split(',').map(Number)
    else if (rounds) repeat = Number(rounds[1])
    else if (db) backend = db[1] as Backend
    else if (scaled) instances = Number(scaled[1])
    else if (/^\d+$/.test(arg) && Number(arg) >= 1 && Number(arg) <= 1_000_000) quantity = Number(arg)
    else {
      console.error(
        `usage: npx tsx bench/ingest.ts [tickets 1…1000000] [--threads=0,2] [--repeat=1…99] [--db=sqlite|postgres] [--instances=1…9]; got ${arg}`,
      )
      process.exit(2)
    }
  }
  if (instances > 1 && backend !== 'postgres') {
    console.error('bench/ingest.ts: --instances above 1 needs --db=postgres')
    process.exit(2)
  }
  return { quantity, threadCounts, repeat, backend, instances }
}

// PostgreSQL as deployed (fsync on), not the test suite's fsync-off cluster.
const databases = new FreshDatabases(backend, { settings: { fsync: 'on' } })
// nginx's certificate is self-signed.
const dispatcher = new Agent({ connect: { rejectUnauthorized: false } })

/** The API processes under test, and the database name whose backends' CPU is counted (own PostgreSQL only). */
interface ServerUnderTest {
  baseURL: string
  pids: number[]
  databaseName: string | undefined
  dispose(): Promise<void>
}

interface EncodedBatch {
  eventBody: CreateEventBody
  body: CreateBatchBody
  chunks: { plain: string; gzip: Buffer; signatures: Uint8Array<ArrayBuffer> }[]
  /** Consecutive chunks' signatures, MAX_RUN_CHUNKS at a time, each one request's body. */
  runs: { first: number; last: number; body: Uint8Array<ArrayBuffer> }[]
}

async function prepareBatch(tickets: number): Promise<EncodedBatch> {
  const { eventBody, body, chunks, signatures } = await prepareSignedBatch(tickets)
  const runs: EncodedBatch['runs'] = []
  for (let first = 0; first < signatures.length; first += MAX_RUN_CHUNKS) {
    const last = Math.min(first + MAX_RUN_CHUNKS, signatures.length) - 1
    runs.push({ first, last, body: new Uint8Array(Buffer.concat(signatures.slice(first, last + 1))) })
  }
  return { eventBody, body, chunks: chunks.map((plain, index) => ({ plain, gzip: gzipSync(plain), signatures: signatures[index]! })), runs }
}

/** The real server (or `instances` of them behind nginx) on a fresh database, verifying with `verifyThreads` threads each. */
async function startServer(verifyThreads: number): Promise<ServerUnderTest> {
  const env = { BOXOFFICE_VERIFY_THREADS: String(verifyThreads) }
  const database = await databases.next()
  const databaseName =
    database && (await databases.serverUrl()) && !process.env.BOXOFFICE_TEST_DATABASE_URL
      ? new URL(database.url).pathname.slice(1)
      : undefined
  if (instances === 1) {
    const server = new ApiProcess({ database, env })
    await server.start()
    return { baseURL: server.baseURL, pids: [server.pid!], databaseName, dispose: () => server.dispose() }
  }
  const cluster = new ScaledOutApi({ database: database!, instances, env })
  await cluster.start()
  return {
    baseURL: cluster.baseURL,
    pids: cluster.instances.map((instance) => instance.pid!),
    databaseName,
    dispose: () => cluster.dispose(),
  }
}

function serverCpuSeconds(server: ServerUnderTest): { all: number; database: number | undefined } {
  const api = server.pids.reduce((sum, pid) => sum + processCpuSeconds(pid), 0)
  const database = server.databaseName ? databaseCpuSeconds(server.databaseName) : undefined
  return { all: api + (database ?? 0), database }
}

class Client {
  constructor(
    readonly base: string,
    readonly headers: Record<string, string>,
  ) {}

  async request(method: string, path: string, body?: string | Uint8Array, encoding: Encoding = 'plain') {
    const headers: Record<string, string> = { ...this.headers }
    if (body !== undefined)
      headers['content-type'] = encoding === 'signatures' || encoding === 'runs' ? SIGNATURE_CHUNK_MEDIA_TYPE : 'application/json'
    if (encoding === 'gzip') headers['content-encoding'] = 'gzip'
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers,
      body: typeof body === 'string' || body === undefined ? body : new Uint8Array(body),
      dispatcher,
    })
    const text = await response.text()
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`)
    return text ? JSON.parse(text) : undefined
  }
}

interface Measurement {
  ticketsPerSecond: number
  /** Server CPU (all threads) per ticket, in microseconds. */
  serverCpuMicros: number | undefined
  /** Of which the database's own processes (a PostgreSQL cluster of the run's own only). */
  databaseCpuMicros?: number
}

/** Uploads every chunk with at most `inFlight` requests outstanding. */
async function ingest(
  server: ServerUnderTest,
  client: Client,
  batch: EncodedBatch,
  inFlight: number,
  encoding: Encoding,
): Promise<Measurement> {
  const tickets = batch.body.quantity
  await client.request('POST', '/api/events', JSON.stringify(batch.eventBody))
  await client.request('POST', '/api/batches', JSON.stringify(batch.body))
  let next = 0
  const lane = async () => {
    if (encoding === 'runs') {
      while (next < batch.runs.length) {
        const { first, last, body } = batch.runs[next++]!
        const { results } = (await client.request('PUT', `/api/batches/${batch.body.id}/chunks/${first}-${last}`, body, encoding)) as {
          results: ChunkRunResult[]
        }
        const refused = results.find((result) => result.status !== 200)
        if (refused) throw new Error(`chunk ${refused.index} of run ${first}-${last}: ${JSON.stringify(refused)}`)
      }
      return
    }
    while (next < batch.chunks.length) {
      const index = next++
      const chunk = batch.chunks[index]!
      await client.request(
        'PUT',
        `/api/batches/${batch.body.id}/chunks/${index}`,
        encoding === 'plain' ? chunk.plain : chunk[encoding === 'gzip' ? 'gzip' : 'signatures'],
        encoding,
      )
    }
  }
  const cpuBefore = serverCpuSeconds(server)
  const started = performance.now()
  await Promise.all(Array.from({ length: inFlight }, lane))
  const seconds = (performance.now() - started) / 1000
  const cpuAfter = serverCpuSeconds(server)

  const status = (await client.request('POST', `/api/batches/${batch.body.id}/complete`)) as BatchStatus
  if (status.state !== 'completed' || status.ticketsReceived !== tickets) {
    throw new Error(`batch ended ${status.state} with ${status.ticketsReceived} of ${tickets} tickets`)
  }
  return {
    ticketsPerSecond: tickets / seconds,
    serverCpuMicros: ((cpuAfter.all - cpuBefore.all) * 1e6) / tickets,
    ...(cpuAfter.database !== undefined && { databaseCpuMicros: ((cpuAfter.database - cpuBefore.database!) * 1e6) / tickets }),
  }
}

function modeName(threads: number) {
  return threads === 0 ? 'in-process' : `pool, ${threads} thread${threads === 1 ? '' : 's'}`
}

function bodyBytes(batches: EncodedBatch[], encoding: Encoding) {
  let bytes = 0
  let tickets = 0
  for (const batch of batches) {
    if (encoding === 'runs') for (const run of batch.runs) bytes += run.body.length
    else for (const chunk of batch.chunks) bytes += encoding === 'plain' ? Buffer.byteLength(chunk.plain) : chunk[encoding].length
    tickets += batch.body.quantity
  }
  return bytes / tickets
}

/** Microseconds to inflate one full chunk, on this thread: the decoding work gzip adds per request. */
function gunzipMicrosPerChunk(batch: EncodedBatch) {
  const sample = batch.chunks.slice(0, 200)
  const started = performance.now()
  for (let round = 0; round < 5; round++) for (const chunk of sample) gunzipSync(chunk.gzip)
  return ((performance.now() - started) * 1000) / (5 * sample.length)
}

const signingStarted = performance.now()
const warmUps = await Promise.all(ENCODINGS.map(() => prepareBatch(Math.min(quantity, 1000))))
const cells = IN_FLIGHT.flatMap((inFlight) => ENCODINGS.map((encoding) => ({ inFlight, encoding })))
const batches = new Map<string, EncodedBatch>()
for (const { inFlight, encoding } of cells) batches.set(`${inFlight}/${encoding}`, await prepareBatch(quantity))
console.log(
  `${quantity.toLocaleString('en-US')} tickets a batch (${chunkCount(quantity)} chunks), one batch per cell, ` +
    `median of ${repeat}; signed in ${((performance.now() - signingStarted) / 1000).toFixed(1)} s (not timed); ` +
    `${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(2)} before the run; ` +
    `${databases.describe()}${instances > 1 ? `, ${instances} instances behind nginx (HTTPS)` : ''}; ` +
    `BOXOFFICE_VERIFY_LIBRARY=${process.env.BOXOFFICE_VERIFY_LIBRARY ?? 'auto'}`,
)

const rounds = new Map<string, Measurement[]>()
for (let round = 0; round < repeat; round++) {
  for (const threads of threadCounts) {
    const server = await startServer(threads)
    try {
      const client = new Client(server.baseURL, (await setUpAccess(server, dispatcher)).headers)
      // Warms up the JIT and the workers on batches of their own. Every mode gets a fresh server and
      // database, so the same signed batches serve every mode and round.
      for (const [i, encoding] of ENCODINGS.entries()) await ingest(server, client, warmUps[i]!, 4, encoding)
      for (const { inFlight, encoding } of cells) {
        const key = `${threads}/${inFlight}/${encoding}`
        const result = await ingest(server, client, batches.get(`${inFlight}/${encoding}`)!, inFlight, encoding)
        rounds.set(key, [...(rounds.get(key) ?? []), result])
        // Every round's figure, to stderr, so that the spread behind each median can be seen.
        process.stderr.write(
          `round ${round + 1}, ${modeName(threads)}, ${inFlight} in flight, ${encoding}: ` +
            `${Math.round(result.ticketsPerSecond)}/s, ${Math.round(result.serverCpuMicros ?? NaN)} µs server CPU/ticket` +
            `${result.databaseCpuMicros === undefined ? '' : ` (database ${Math.round(result.databaseCpuMicros)})`}\n`,
        )
      }
    } finally {
      await server.dispose()
    }
  }
}
await databases.dispose()
function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}
const results = new Map<string, Measurement>()
for (const [key, measured] of rounds) {
  const cpu = measured.map((m) => m.serverCpuMicros).filter((micros): micros is number => micros !== undefined)
  const database = measured.map((m) => m.databaseCpuMicros).filter((micros): micros is number => micros !== undefined)
  results.set(key, {
    ticketsPerSecond: median(measured.map((m) => m.ticketsPerSecond)),
    serverCpuMicros: cpu.length ? median(cpu) : undefined,
    ...(database.length && { databaseCpuMicros: median(database) }),
  })
}

const rate = (value: number) => Math.round(value).toLocaleString('en-US')
const header = ['server verification', 'body', ...IN_FLIGHT.map((n) => `${n} in flight`), 'server CPU/ticket', 'of which database']
const rows = threadCounts.flatMap((threads) =>
  ENCODINGS.map((encoding) => {
    const measured = IN_FLIGHT.map((inFlight) => results.get(`${threads}/${inFlight}/${encoding}`)!)
    const cpu = measured.map((m) => m.serverCpuMicros).filter((micros): micros is number => micros !== undefined)
    const database = measured.map((m) => m.databaseCpuMicros).filter((micros): micros is number => micros !== undefined)
    const average = (values: number[]) => (values.length ? `${Math.round(values.reduce((a, b) => a + b) / values.length)} µs` : 'n/a')
    return [modeName(threads), encoding, ...measured.map((m) => `${rate(m.ticketsPerSecond)}/s`), average(cpu), average(database)]
  }),
)
const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)))
const line = (cells: string[]) =>
  `| ${cells.map((cell, column) => (column < 2 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join(' | ')} |`
console.log(line(header))
console.log(`|${widths.map((width, column) => (column < 2 ? ':' : '-') + '-'.repeat(width) + (column < 2 ? '-' : ':')).join('|')}|`)
for (const row of rows) console.log(line(row))

const all = [...batches.values()]
const plain = bodyBytes(all, 'plain')
const gzip = bodyBytes(all, 'gzip')
const signatures = bodyBytes(all, 'signatures')
console.log(
  `\nrequest body per ticket: plain JSON ${plain.toFixed(1)} B, gzip ${gzip.toFixed(1)} B (${((gzip / plain) * 100).toFixed(0)}%), ` +
    `signatures ${signatures.toFixed(1)} B (${((signatures / plain) * 100).toFixed(0)}%); ` +
    `inflating a full chunk costs ${gunzipMicrosPerChunk(all[0]!).toFixed(0)} µs on one core`,
)
console.log('server CPU/ticket: user+system time of the server process, all threads, averaged over the three columns')
