// Ingest throughput over real HTTP: `npx tsx bench/ingest.ts [tickets] [--threads=0,2] [--repeat=3]`
// (default 20,000 tickets; threads 0 = in-process verification, then os.availableParallelism();
// each cell is the median of `repeat` rounds, the modes taking turns within a round).
//
// Each server mode runs as the real server (api/src/server.ts) in a child process on a fresh
// temp SQLite file, so the client's own CPU does not run on the server's main thread (it still
// shares the machine's cores, as the browser will). Every chunk is signed and encoded up front, so
// only the upload is timed. For each mode it uploads one batch per cell: 1, 4 and 8 requests in
// flight, with plain JSON bodies and with `Content-Encoding: gzip` (node:zlib, as the browser's
// CompressionStream would send). The server verifies every token's signature on the way in.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { gunzipSync, gzipSync } from 'node:zlib'
import { chunkCount, type BatchStatus, type CreateBatchBody } from '../packages/tickets/src/index.ts'
import { prepareSignedBatch } from './measure-ingest.ts'

const API_DIR = resolve(import.meta.dirname, '../api')
const ADMIN = { username: 'admin', password: 'ingest-bench-password' }
const IN_FLIGHT = [1, 4, 8] as const
const ENCODINGS = ['plain', 'gzip'] as const
type Encoding = (typeof ENCODINGS)[number]

const { quantity, threadCounts, repeat } = parseArguments(process.argv.slice(2))

function parseArguments(args: string[]) {
  let quantity = 20_000
  let threadCounts = [0, availableParallelism()]
  let repeat = 1
  for (const arg of args) {
    const threads = /^--threads=([\d,]+)$/.exec(arg)
    const rounds = /^--repeat=([1-9]\d?)$/.exec(arg)
    if (threads) threadCounts = threads[1]!.split(',').map(Number)
    else if (rounds) repeat = Number(rounds[1])
    else if (/^\d+$/.test(arg) && Number(arg) >= 1 && Number(arg) <= 1_000_000) quantity = Number(arg)
    else {
      console.error(`usage: npx tsx bench/ingest.ts [tickets 1…1000000] [--threads=0,2] [--repeat=1…99]; got ${arg}`)
      process.exit(2)
    }
  }
  return { quantity, threadCounts, repeat }
}

interface PreparedBatch {
  body: CreateBatchBody
  chunks: { plain: string; gzip: Buffer }[]
}

async function prepareBatch(tickets: number): Promise<PreparedBatch> {
  const { body, chunks } = await prepareSignedBatch(tickets)
  return { body, chunks: chunks.map((plain) => ({ plain, gzip: gzipSync(plain) })) }
}

/** The real server in a child process, listening on a free port, with an admin account. */
class ServerProcess {
  private constructor(
    readonly base: string,
    readonly child: ChildProcess,
    readonly dir: string,
  ) {}

  static async start(verifyThreads: number): Promise<ServerProcess> {
    const dir = mkdtempSync(join(tmpdir(), 'boxoffice-bench-'))
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: API_DIR,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: '0',
        BOXOFFICE_DB: join(dir, 'bench.db'),
        BOXOFFICE_WEB_DIST: join(dir, 'no-web-app'),
        BOXOFFICE_VERIFY_THREADS: String(verifyThreads),
        BOXOFFICE_ADMIN_USER: ADMIN.username,
        BOXOFFICE_ADMIN_PASSWORD: ADMIN.password,
      },
    })
    const base = await new Promise<string>((resolveBase, reject) => {
      child.once('exit', (code) => reject(new Error(`server exited with code ${code} before listening`)))
      // The server logs JSON lines; the one announcing the address comes once it listens.
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const listening = /"msg":"Boxoffice listening on (http:\/\/[^"]+)"/.exec(line)
        if (listening) resolveBase(listening[1]!)
      })
    })
    return new ServerProcess(base, child, dir)
  }

  /** CPU seconds the server process has used so far, all threads (Linux only). */
  cpuSeconds(): number | undefined {
    try {
      const fields = readFileSync(`/proc/${this.child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
      return (Number(fields[11]) + Number(fields[12])) / 100 // utime + stime, in USER_HZ ticks
    } catch {
      return undefined
    }
  }

  async stop() {
    const exited = new Promise((resolveExit) => this.child.once('exit', resolveExit))
    this.child.kill('SIGTERM')
    await exited
    rmSync(this.dir, { recursive: true, force: true })
  }
}

class Client {
  headers: Record<string, string> = { 'x-boxoffice-request': '1' }
  constructor(readonly base: string) {}

  /** Signs in as the admin; a server without accounts (404) needs no session. */
  async signIn() {
    const response = await fetch(`${this.base}/api/session`, {
      method: 'POST',
      headers: { ...this.headers, 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    })
    if (response.status === 404) return
    if (!response.ok) throw new Error(`sign-in: ${response.status} ${await response.text()}`)
    this.headers.cookie = response.headers.getSetCookie().map((cookie) => cookie.split(';')[0]).join('; ')
  }

  async request(method: string, path: string, body?: string | Buffer, encoding: Encoding = 'plain') {
    const headers: Record<string, string> = { ...this.headers }
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (encoding === 'gzip') headers['content-encoding'] = 'gzip'
    const response = await fetch(`${this.base}${path}`, { method, headers, body: typeof body === 'string' || body === undefined ? body : new Uint8Array(body) })
    const text = await response.text()
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`)
    return text ? JSON.parse(text) : undefined
  }
}

interface Measurement {
  ticketsPerSecond: number
  /** Server CPU (all threads) per ticket, in microseconds. */
  serverCpuMicros: number | undefined
}

/** Uploads every chunk with at most `inFlight` requests outstanding. */
async function ingest(server: ServerProcess, client: Client, batch: PreparedBatch, inFlight: number, encoding: Encoding): Promise<Measurement> {
  const tickets = batch.body.quantity
  await client.request('POST', '/api/batches', JSON.stringify(batch.body))
  let next = 0
  const lane = async () => {
    while (next < batch.chunks.length) {
      const index = next++
      const chunk = batch.chunks[index]!
      await client.request('PUT', `/api/batches/${batch.body.id}/chunks/${index}`, encoding === 'gzip' ? chunk.gzip : chunk.plain, encoding)
    }
  }
  const cpuBefore = server.cpuSeconds()
  const started = performance.now()
  await Promise.all(Array.from({ length: inFlight }, lane))
  const seconds = (performance.now() - started) / 1000
  const cpuAfter = server.cpuSeconds()

  const status = (await client.request('POST', `/api/batches/${batch.body.id}/complete`)) as BatchStatus
  if (status.state !== 'completed' || status.ticketsReceived !== tickets) {
    throw new Error(`batch ended ${status.state} with ${status.ticketsReceived} of ${tickets} tickets`)
  }
  return {
    ticketsPerSecond: tickets / seconds,
    serverCpuMicros: cpuBefore === undefined || cpuAfter === undefined ? undefined : ((cpuAfter - cpuBefore) * 1e6) / tickets,
  }
}

function modeName(threads: number) {
  return threads === 0 ? 'in-process' : `pool, ${threads} thread${threads === 1 ? '' : 's'}`
}

function bodyBytes(batches: PreparedBatch[], encoding: Encoding) {
  let bytes = 0
  let tickets = 0
  for (const batch of batches) {
    for (const chunk of batch.chunks) bytes += encoding === 'gzip' ? chunk.gzip.length : Buffer.byteLength(chunk.plain)
    tickets += batch.body.quantity
  }
  return bytes / tickets
}

/** Microseconds to inflate one full chunk, on this thread: the decoding work gzip adds per request. */
function gunzipMicrosPerChunk(batch: PreparedBatch) {
  const sample = batch.chunks.slice(0, 200)
  const started = performance.now()
  for (let round = 0; round < 5; round++) for (const chunk of sample) gunzipSync(chunk.gzip)
  return ((performance.now() - started) * 1000) / (5 * sample.length)
}

const signingStarted = performance.now()
const warmUps = [await prepareBatch(Math.min(quantity, 1000)), await prepareBatch(Math.min(quantity, 1000))]
const cells = IN_FLIGHT.flatMap((inFlight) => ENCODINGS.map((encoding) => ({ inFlight, encoding })))
const batches = new Map<string, PreparedBatch>()
for (const { inFlight, encoding } of cells) batches.set(`${inFlight}/${encoding}`, await prepareBatch(quantity))
console.log(
  `${quantity.toLocaleString('en-US')} tickets a batch (${chunkCount(quantity)} chunks), one batch per cell, ` +
    `median of ${repeat}; signed in ${((performance.now() - signingStarted) / 1000).toFixed(1)} s (not timed); ` +
    `${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(2)} before the run`,
)

const rounds = new Map<string, Measurement[]>()
for (let round = 0; round < repeat; round++) {
  for (const threads of threadCounts) {
    const server = await ServerProcess.start(threads)
    try {
      const client = new Client(server.base)
      await client.signIn()
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
            `${Math.round(result.ticketsPerSecond)}/s, ${Math.round(result.serverCpuMicros ?? NaN)} µs server CPU/ticket\n`,
        )
      }
    } finally {
      await server.stop()
    }
  }
}
function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}
const results = new Map<string, Measurement>()
for (const [key, measured] of rounds) {
  const cpu = measured.map((m) => m.serverCpuMicros).filter((micros): micros is number => micros !== undefined)
  results.set(key, {
    ticketsPerSecond: median(measured.map((m) => m.ticketsPerSecond)),
    serverCpuMicros: cpu.length ? median(cpu) : undefined,
  })
}

const rate = (value: number) => Math.round(value).toLocaleString('en-US')
const header = ['server verification', 'body', ...IN_FLIGHT.map((n) => `${n} in flight`), 'server CPU/ticket']
const rows = threadCounts.flatMap((threads) =>
  ENCODINGS.map((encoding) => {
    const measured = IN_FLIGHT.map((inFlight) => results.get(`${threads}/${inFlight}/${encoding}`)!)
    const cpu = measured.map((m) => m.serverCpuMicros).filter((micros): micros is number => micros !== undefined)
    return [
      modeName(threads),
      encoding,
      ...measured.map((m) => `${rate(m.ticketsPerSecond)}/s`),
      cpu.length ? `${Math.round(cpu.reduce((a, b) => a + b) / cpu.length)} µs` : 'n/a',
    ]
  }),
)
const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)))
const line = (cells: string[]) => `| ${cells.map((cell, column) => (column < 2 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join(' | ')} |`
console.log(line(header))
console.log(`|${widths.map((width, column) => (column < 2 ? ':' : '-') + '-'.repeat(width) + (column < 2 ? '-' : ':')).join('|')}|`)
for (const row of rows) console.log(line(row))

const all = [...batches.values()]
const plain = bodyBytes(all, 'plain')
const gzip = bodyBytes(all, 'gzip')
console.log(
  `\nrequest body per ticket: plain JSON ${plain.toFixed(1)} B, gzip ${gzip.toFixed(1)} B (${((gzip / plain) * 100).toFixed(0)}%); ` +
    `inflating a full chunk costs ${gunzipMicrosPerChunk(all[0]!).toFixed(0)} µs on one core`,
)
console.log('server CPU/ticket: user+system time of the server process, all threads, averaged over the three columns')
