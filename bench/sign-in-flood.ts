// Upload and static-file latency during a sign-in flood:
// `npx tsx bench/sign-in-flood.ts [--flood=200] [--seconds=10] [--sustained] [--threadpool=N]`.
//
// Runs the real server (api/src/server.ts, production scrypt cost) in a child process on a fresh
// temp SQLite file, with the per-IP sign-in limit lifted (BOXOFFICE_LOGIN_FAILURES_PER_MINUTE) so
// that a flood from one machine reaches the password check, as one spread over many addresses and
// usernames would. Two phases, first without and then with the flood; three probes, each one
// request at a time every 50 ms, measure
//   - a chunk upload in the browser's form (signatures, no compression),
//   - a chunk upload as gzip JSON (inflated by zlib, on libuv's thread pool like scrypt),
//   - the web app's index.html (read by @fastify/static through fs, on the same thread pool),
// and, once a second, a staff sign-in with the right password. The flood is `--flood` sign-ins
// with unknown usernames (each a full password check) sent at once, from a process of its own
// (bench/sign-in-attacker.ts); the flood phase lasts until the last of them is answered. With
// `--sustained` each is re-sent as soon as it is answered, ignoring Retry-After as an attacker
// would, for `--seconds`. The quiet phase lasts `--seconds`.
// Prints every probe's p50/p99/max in both phases, the flood's answers by status, and how many
// passwords were checked per second. `--threadpool` sets UV_THREADPOOL_SIZE for the server
// (default: Node's, 4). Needs `pnpm build` for the page.
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { availableParallelism, cpus, loadavg } from 'node:os'
import { SIGNATURE_CHUNK_MEDIA_TYPE, CSRF_HEADER, CSRF_HEADER_VALUE } from '@boxoffice/tickets'
import { ADMIN_PASSWORD, ADMIN_USER, ApiProcess } from '@boxoffice/testkit/api-process'
import { LatencyRecorder, type LatencySummary } from '@boxoffice/testkit/latency'
import { prepareSignedBatch, type PreparedBatch } from '@boxoffice/testkit/signed-batch'
import { setUpAccess } from './server-access.ts'

const CSRF = { [CSRF_HEADER]: CSRF_HEADER_VALUE }
const PROBE_INTERVAL_MS = 50
const { flood, seconds, sustained, threadpool } = parseArguments(process.argv.slice(2))

function parseArguments(args: string[]) {
  const options = { flood: 200, seconds: 10, sustained: false, threadpool: undefined as number | undefined }
  for (const arg of args) {
    const match = /^--(flood|seconds|threadpool)=(\d+)$/.exec(arg)
    const value = Number(match?.[2])
    if (arg === '--sustained') options.sustained = true
    else if (match?.[1] === 'flood' && value >= 1 && value <= 2_000) options.flood = value
    else if (match?.[1] === 'seconds' && value >= 1 && value <= 120) options.seconds = value
    else if (match?.[1] === 'threadpool' && value >= 1 && value <= 128) options.threadpool = value
    else {
      console.error(
        `usage: npx tsx bench/sign-in-flood.ts [--flood=1…2000] [--seconds=1…120] [--sustained] [--threadpool=1…128]; got ${arg}`,
      )
      process.exit(2)
    }
  }
  return options
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Sends `request` every PROBE_INTERVAL_MS (or as soon as the last one answered, if it took longer) until `until()`. */
async function probe(
  request: () => Promise<Response>,
  until: () => boolean,
): Promise<{ latencies: LatencyRecorder; failures: Map<number, number> }> {
  const latencies = new LatencyRecorder()
  const failures = new Map<number, number>()
  while (!until()) {
    const started = performance.now()
    const response = await request()
    await response.arrayBuffer()
    const elapsed = performance.now() - started
    latencies.record(elapsed)
    if (!response.ok) failures.set(response.status, (failures.get(response.status) ?? 0) + 1)
    await sleep(Math.max(0, PROBE_INTERVAL_MS - elapsed))
  }
  return { latencies, failures }
}

/**
 * Starts bench/sign-in-attacker.ts; `started` resolves once it sends, `answers` once every sign-in
 * it sent is answered, with their statuses.
 */
function startFlood(baseURL: string) {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      fileURLToPath(new URL('sign-in-attacker.ts', import.meta.url)),
      baseURL,
      String(flood),
      String(sustained ? seconds : 0),
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  const lines = createInterface({ input: child.stdout! })
  let sending!: () => void
  const started = new Promise<void>((resolve) => (sending = resolve))
  const answers = new Promise<Map<number, number>>((resolve, reject) => {
    lines.on('line', (line) => {
      if (line === 'sending') sending()
      else resolve(new Map(Object.entries(JSON.parse(line) as Record<string, number>).map(([status, n]) => [Number(status), n])))
    })
    child.on('exit', (code) => reject(new Error(`the attacker exited with ${code} before it answered`)))
  })
  return { started, answers }
}

/** Chunks for the probes, shared by every phase; a flood on a server without a bound takes a minute or more. */
const CHUNKS_PER_FORM = 4_000

interface Uploads {
  signatures: PreparedBatch
  gzipJson: PreparedBatch
  gzipped: Uint8Array<ArrayBuffer>[]
  /** The next chunk index of each batch to upload (each is uploaded once, so each is verified and committed). */
  next: { signatures: number; gzip: number }
}

async function createBatch(baseURL: string, headers: Record<string, string>, batch: PreparedBatch) {
  const response = await fetch(`${baseURL}/api/batches`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(batch.body),
  })
  if (response.status !== 201) throw new Error(`create batch: ${response.status} ${await response.text()}`)
}

async function prepareUploads(baseURL: string, headers: Record<string, string>): Promise<Uploads> {
  const signatures = await prepareSignedBatch(CHUNKS_PER_FORM * 50, 'Flood bench (signatures)')
  const gzipJson = await prepareSignedBatch(CHUNKS_PER_FORM * 50, 'Flood bench (gzip)')
  await createBatch(baseURL, headers, signatures)
  await createBatch(baseURL, headers, gzipJson)
  return {
    signatures,
    gzipJson,
    gzipped: gzipJson.chunks.map((chunk) => new Uint8Array(gzipSync(chunk))),
    next: { signatures: 0, gzip: 0 },
  }
}

async function phase(baseURL: string, headers: Record<string, string>, uploads: Uploads, withFlood: boolean) {
  const flooding = withFlood ? startFlood(baseURL) : undefined
  await flooding?.started
  const started = performance.now()
  const ends = started + seconds * 1000
  const pastEnd = () => performance.now() > ends
  let floodAnswered = false
  const floodAnswers = flooding ? flooding.answers.finally(() => (floodAnswered = true)) : Promise.resolve(new Map<number, number>())
  // Quiet: `seconds`. Flooded: until the flood's last answer (sustained: `seconds`, then that).
  const done = withFlood ? () => floodAnswered : pastEnd
  const chunksLeft = () => uploads.next.signatures < CHUNKS_PER_FORM && uploads.next.gzip < CHUNKS_PER_FORM
  const probing = () => done() || !chunksLeft()
  const chunkUrl = (batch: PreparedBatch, i: number) => `${baseURL}/api/batches/${batch.body.id}/chunks/${i}`
  const [signatures, gzip, page, signIns, answers] = await Promise.all([
    probe(() => {
      const i = uploads.next.signatures++
      return fetch(chunkUrl(uploads.signatures, i), {
        method: 'PUT',
        headers: { ...headers, 'content-type': SIGNATURE_CHUNK_MEDIA_TYPE },
        body: uploads.signatures.signatures[i],
      })
    }, probing),
    probe(() => {
      const i = uploads.next.gzip++
      return fetch(chunkUrl(uploads.gzipJson, i), {
        method: 'PUT',
        headers: { ...headers, 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: uploads.gzipped[i],
      })
    }, probing),
    probe(() => fetch(`${baseURL}/`), probing),
    legitimateSignIns(baseURL, done),
    floodAnswers,
  ])
  const elapsedSeconds = (performance.now() - started) / 1000
  if (!chunksLeft()) console.log(`  (the probes ran out of chunks after ${elapsedSeconds.toFixed(0)} s and stopped)`)
  return { signatures, gzip, page, signIns, answers, elapsedSeconds }
}

/** Staff signing in with the right password, once a second: their status and time. */
async function legitimateSignIns(baseURL: string, until: () => boolean) {
  const outcomes: string[] = []
  while (!until()) {
    const started = performance.now()
    const response = await fetch(`${baseURL}/api/session`, {
      method: 'POST',
      headers: { ...CSRF, 'content-type': 'application/json' },
      body: JSON.stringify({ username: ADMIN_USER, password: ADMIN_PASSWORD }),
    })
    await response.arrayBuffer()
    const elapsed = performance.now() - started
    outcomes.push(`${response.status} in ${(elapsed / 1000).toFixed(1)} s`)
    await sleep(Math.max(0, 1000 - elapsed))
  }
  return outcomes
}

const ms = (value: number) => `${value.toFixed(1)} ms`
const line = (name: string, summary: LatencySummary) =>
  `${name.padEnd(26)} ${String(summary.count).padStart(5)}  p50 ${ms(summary.p50).padStart(10)}  p99 ${ms(summary.p99).padStart(10)}  max ${ms(summary.max).padStart(10)}`
const counts = (map: Map<number, number>) => JSON.stringify(Object.fromEntries([...map].sort(([a], [b]) => a - b)))

const server = new ApiProcess({
  env: {
    BOXOFFICE_LOGIN_FAILURES_PER_MINUTE: '1000000',
    ...(threadpool === undefined ? {} : { UV_THREADPOOL_SIZE: String(threadpool) }),
  },
})
await server.start()
try {
  const { headers } = await setUpAccess(server)
  const uploads = await prepareUploads(server.baseURL, headers)
  console.log(
    `${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(2)}; ` +
      `UV_THREADPOOL_SIZE ${threadpool ?? 'default (4)'}; ${sustained ? `${flood} sign-ins kept in flight for ${seconds} s` : `${flood} sign-ins at once`}`,
  )
  // Warm-up: the first requests compile code paths and start the verification workers.
  await phase(server.baseURL, headers, uploads, false).catch((error: unknown) => console.error('warm-up failed', error))

  const results = []
  for (const withFlood of [false, true]) {
    const result = await phase(server.baseURL, headers, uploads, withFlood)
    results.push(result)
    console.log(withFlood ? `\nwith the flood:` : `\nwithout a flood:`)
    console.log(line('chunk upload (signatures)', result.signatures.latencies.summary()))
    console.log(line('chunk upload (gzip JSON)', result.gzip.latencies.summary()))
    console.log(line('index.html', result.page.latencies.summary()))
    for (const [name, probed] of [
      ['signatures', result.signatures],
      ['gzip', result.gzip],
      ['page', result.page],
    ] as const) {
      if (probed.failures.size > 0) console.log(`  ${name} failures by status: ${counts(probed.failures)}`)
    }
    console.log(`  staff sign-ins: ${result.signIns.join(', ')}`)
    if (withFlood) {
      const checked = result.answers.get(401) ?? 0
      console.log(
        `  flood answers by status: ${counts(result.answers)} in ${result.elapsedSeconds.toFixed(1)} s; ${(checked / result.elapsedSeconds).toFixed(1)} passwords checked per second`,
      )
    }
  }
  const [quiet, flooded] = results as [(typeof results)[0], (typeof results)[0]]
  const ratio = (a: LatencyRecorder, b: LatencyRecorder) => (b.summary().p99 / a.summary().p99).toFixed(2)
  console.log(
    `\np99 with the flood / without: signatures ${ratio(quiet.signatures.latencies, flooded.signatures.latencies)}×, ` +
      `gzip JSON ${ratio(quiet.gzip.latencies, flooded.gzip.latencies)}×, index.html ${ratio(quiet.page.latencies, flooded.page.latencies)}×`,
  )
} finally {
  await server.dispose()
}
