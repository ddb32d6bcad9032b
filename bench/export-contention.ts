// Check-in latency while PDF exports run: `npx tsx bench/export-contention.ts [--exports=4] [--seconds=15]`.
//
// Runs the real server (api/src/server.ts) in a child process on a fresh temp SQLite file and
// uploads one completed batch of 5,000 tickets (the most one PDF holds; not timed). Then, first
// with nothing else running and then while `--exports` accounts each download that batch's
// single-layout PDF over and over, one gate scanner checks tickets in one after another
// (`POST /api/checkins`, going round the batch's tickets: the first round admits them, later ones
// answer "already checked in" through the same transaction), and every check-in's latency is kept.
// Prints p50, p95, p99 and max of both phases, the check-ins per second, and how the exports fared
// (finished, refused with 429, pages per second). Bounded: each phase stops after `--seconds`.
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '@boxoffice/tickets'
import { availableParallelism, cpus, loadavg } from 'node:os'
import { ApiProcess } from '@boxoffice/testkit/api-process'
import { LatencyRecorder, type LatencySummary } from '@boxoffice/testkit/latency'
import { prepareSignedBatch, uploadPrepared } from '@boxoffice/testkit/signed-batch'
import { setUpAccess } from './server-access.ts'

const TICKETS = 5_000
const CSRF = { [CSRF_HEADER]: CSRF_HEADER_VALUE }
const { exporters, seconds } = parseArguments(process.argv.slice(2))

function parseArguments(args: string[]) {
  let exporters = 4
  let seconds = 15
  for (const arg of args) {
    const match = /^--(exports|seconds)=(\d+)$/.exec(arg)
    if (match && match[1] === 'exports' && Number(match[2]) >= 1 && Number(match[2]) <= 16) exporters = Number(match[2])
    else if (match && match[1] === 'seconds' && Number(match[2]) >= 1 && Number(match[2]) <= 300) seconds = Number(match[2])
    else {
      console.error(`usage: npx tsx bench/export-contention.ts [--exports=1…16] [--seconds=1…300]; got ${arg}`)
      process.exit(2)
    }
  }
  return { exporters, seconds }
}

async function signInAs(baseURL: string, username: string, password: string): Promise<Record<string, string>> {
  const response = await fetch(`${baseURL}/api/session`, {
    method: 'POST',
    headers: { ...CSRF, 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  })
  if (!response.ok) throw new Error(`sign-in of ${username}: ${response.status} ${await response.text()}`)
  return {
    ...CSRF,
    cookie: response.headers
      .getSetCookie()
      .map((header) => header.split(';')[0])
      .join('; '),
  }
}

let nextToken = 0

/** Checks tickets in one at a time until `until()`; every check-in's latency in ms. */
async function checkInLoop(baseURL: string, headers: Record<string, string>, tokens: string[], until: () => boolean) {
  const latencies = new LatencyRecorder()
  const results = new Map<string, number>()
  while (!until()) {
    const token = tokens[nextToken++ % tokens.length]!
    const started = performance.now()
    const response = await fetch(`${baseURL}/api/checkins`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ token, deviceId: 'bench-gate' }),
    })
    const body = (await response.json()) as { result?: string; error?: { code: string } }
    latencies.record(performance.now() - started)
    const outcome = body.result ?? body.error?.code ?? String(response.status)
    results.set(outcome, (results.get(outcome) ?? 0) + 1)
  }
  return { latencies, results }
}

interface ExportTally {
  finished: number
  refused: number
  failed: number
  bytes: number
  pages: number
}

/** Downloads the PDF again and again until `until()`, reading every byte as fast as it comes. */
async function exportLoop(baseURL: string, headers: Record<string, string>, url: string, until: () => boolean, tally: ExportTally) {
  while (!until()) {
    const response = await fetch(`${baseURL}${url}`, { headers })
    if (response.status === 429) {
      tally.refused++
      await response.arrayBuffer()
      // What a well-behaved client does: wait as told (capped, so the phase still ends on time).
      const wait = Math.min(Number(response.headers.get('retry-after') ?? 1), 2) * 1000
      await new Promise((resolveWait) => setTimeout(resolveWait, wait))
      continue
    }
    if (!response.ok) {
      tally.failed++
      await response.arrayBuffer()
      continue
    }
    let bytes = 0
    for await (const chunk of response.body!) bytes += (chunk as Uint8Array).length
    tally.bytes += bytes
    tally.finished++
    tally.pages += TICKETS
  }
}

function describe(name: string, summary: LatencySummary, elapsedSeconds: number) {
  const ms = (value: number) => `${value.toFixed(1)} ms`
  return `${name}: ${summary.count} check-ins (${(summary.count / elapsedSeconds).toFixed(0)}/s), p50 ${ms(summary.p50)}, p95 ${ms(summary.p95)}, p99 ${ms(summary.p99)}, max ${ms(summary.max)}`
}

const batch = await prepareSignedBatch(TICKETS, 'Contention benchmark')
const tokens = batch.chunks.flatMap((chunk) =>
  (JSON.parse(chunk) as { tickets: { token: string }[] }).tickets.map((ticket) => ticket.token),
)
const server = new ApiProcess()
await server.start()
try {
  const { headers } = await setUpAccess(server)
  await uploadPrepared(server.baseURL, headers, batch, 4)
  // One admin account per exporter: admins may export any batch, and each has its own export allowance.
  const exporterHeaders: Record<string, string>[] = []
  for (let i = 0; i < exporters; i++) {
    await server.addAccount(`exporter${i}`, 'bench-exporter-password', 'admin')
    exporterHeaders.push(await signInAs(server.baseURL, `exporter${i}`, 'bench-exporter-password'))
  }
  const gate = await signInAs(server.baseURL, 'admin', 'e2e-admin-password')
  const pdfUrl = `/api/batches/${batch.body.id}/tickets.pdf?layout=single&from=0&to=${TICKETS - 1}`
  console.log(`${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(2)}`)

  // Warm-up: the first requests compile code paths and open the workers' documents.
  await checkInLoop(
    server.baseURL,
    gate,
    tokens,
    (() => {
      let n = 0
      return () => n++ >= 50
    })(),
  )
  const pdfWarm = await fetch(`${server.baseURL}${pdfUrl}`, { headers: exporterHeaders[0]! })
  await pdfWarm.arrayBuffer()

  const idleEnds = performance.now() + seconds * 1000
  const idle = await checkInLoop(server.baseURL, gate, tokens, () => performance.now() > idleEnds)
  console.log(describe('no export running', idle.latencies.summary(), seconds))

  const tally: ExportTally = { finished: 0, refused: 0, failed: 0, bytes: 0, pages: 0 }
  const busyStarted = performance.now()
  const busyEnds = busyStarted + seconds * 1000
  const done = () => performance.now() > busyEnds
  const exportsRunning = exporterHeaders.map((exporter) => exportLoop(server.baseURL, exporter, pdfUrl, done, tally))
  const busy = await checkInLoop(server.baseURL, gate, tokens, done)
  await Promise.all(exportsRunning)
  const busySeconds = (performance.now() - busyStarted) / 1000
  console.log(describe(`${exporters} PDF exports looping`, busy.latencies.summary(), seconds))
  console.log(
    `exports: ${tally.finished} finished (${(tally.pages / busySeconds).toFixed(0)} pages/s in all, ${(tally.bytes / 1e6).toFixed(0)} MB), ` +
      `${tally.refused} refused with 429, ${tally.failed} failed`,
  )
  const results = new Map(idle.results)
  for (const [outcome, count] of busy.results) results.set(outcome, (results.get(outcome) ?? 0) + count)
  console.log(`check-in results: ${JSON.stringify(Object.fromEntries(results))}`)
} finally {
  await server.dispose()
}
