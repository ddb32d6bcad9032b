// Export throughput and server memory: `npx tsx bench/export.ts [tickets] [--layouts=single,a4-8|none]`
// (default 100,000 tickets, both layouts; `none`: the CSV only).
//
// Runs the real server (api/src/server.ts) in a child process on a fresh temp SQLite file, uploads
// one signed batch (not timed), then downloads its CSV and every PDF part, reading each response to
// the end as a browser would. Prints rows/s, pages/s and the server's resident memory (RSS, from
// /proc, sampled every 20 ms): before the exports and its peak during each, so that a download
// that held the whole file in memory would show.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import type { PdfParts, TicketLayout } from '../packages/tickets/src/index.ts'
import { prepareSignedBatch, uploadPrepared } from './measure-ingest.ts'

const ROOT = resolve(import.meta.dirname, '..')
const ADMIN = { username: 'admin', password: 'export-bench-password' }
const { quantity, layouts } = parseArguments(process.argv.slice(2))

function parseArguments(args: string[]) {
  let quantity = 100_000
  let layouts: TicketLayout[] = ['single', 'a4-8']
  for (const arg of args) {
    const chosen = /^--layouts=((?:single|a4-8)(?:,(?:single|a4-8))*|none)$/.exec(arg)
    if (chosen) layouts = chosen[1] === 'none' ? [] : (chosen[1]!.split(',') as TicketLayout[])
    else if (/^\d+$/.test(arg) && Number(arg) >= 1 && Number(arg) <= 1_000_000) quantity = Number(arg)
    else {
      console.error(`usage: npx tsx bench/export.ts [tickets 1…1000000] [--layouts=single,a4-8|none]; got ${arg}`)
      process.exit(2)
    }
  }
  return { quantity, layouts }
}

/** The real server in a child process on a free port, with an admin account; its pid for /proc. */
async function startServer() {
  const dir = mkdtempSync(join(tmpdir(), 'boxoffice-export-bench-'))
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'api/src/server.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: '0',
      BOXOFFICE_DB: join(dir, 'bench.db'),
      BOXOFFICE_WEB_DIST: join(dir, 'no-web-app'),
      BOXOFFICE_ADMIN_USER: ADMIN.username,
      BOXOFFICE_ADMIN_PASSWORD: ADMIN.password,
    },
  })
  const base = await new Promise<string>((resolveBase, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited with code ${code} before listening`)))
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const listening = /"msg":"Boxoffice listening on (http:\/\/[^"]+)"/.exec(line)
      if (listening) resolveBase(listening[1]!)
    })
  })
  const stop = async () => {
    const exited = new Promise((resolveExit) => child.once('exit', resolveExit))
    child.kill('SIGTERM')
    await exited
    rmSync(dir, { recursive: true, force: true })
  }
  return { base, pid: child.pid!, stop }
}

/** Resident memory of a process in MB, from /proc (Linux). */
function rssMegabytes(pid: number): number {
  const kilobytes = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
  return Number(kilobytes) / 1024
}

/** Samples the RSS every 20 ms while `work` runs; returns its result and the peak. */
async function withPeakRss<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; peakMb: number }> {
  let peakMb = rssMegabytes(pid)
  const timer = setInterval(() => (peakMb = Math.max(peakMb, rssMegabytes(pid))), 20)
  try {
    const result = await work()
    return { result, peakMb: Math.max(peakMb, rssMegabytes(pid)) }
  } finally {
    clearInterval(timer)
  }
}

/** Reads a response body to its end; calls `inspect` on each chunk. Returns the bytes read. */
async function drain(response: Response, inspect: (chunk: Uint8Array) => void): Promise<number> {
  if (!response.ok || !response.body) throw new Error(`${response.url}: ${response.status} ${await response.text()}`)
  let bytes = 0
  const reader = response.body.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return bytes
    bytes += value.length
    inspect(value)
  }
}

/** Counts occurrences of `needle` across chunk boundaries. */
function counter(needle: string) {
  const pattern = Buffer.from(needle, 'latin1')
  let carry = Buffer.alloc(0)
  let count = 0
  return {
    add(chunk: Uint8Array) {
      const text = Buffer.concat([carry, chunk])
      for (let at = text.indexOf(pattern); at !== -1; at = text.indexOf(pattern, at + 1)) count++
      carry = text.subarray(Math.max(0, text.length - pattern.length + 1))
    },
    get count() {
      return count
    },
  }
}

const rate = (value: number) => Math.round(value).toLocaleString('en-US')
const mb = (value: number) => `${value.toFixed(0)} MB`

const signingStarted = performance.now()
const batch = await prepareSignedBatch(quantity, 'Export benchmark, "Main Hall"')
console.log(
  `${quantity.toLocaleString('en-US')} tickets signed in ${((performance.now() - signingStarted) / 1000).toFixed(1)} s (not timed); ` +
    `${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(2)}`,
)
const server = await startServer()
try {
  const signIn = await fetch(`${server.base}/api/session`, {
    method: 'POST',
    headers: { 'x-boxoffice-request': '1', 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  })
  if (!signIn.ok) throw new Error(`sign-in: ${signIn.status} ${await signIn.text()}`)
  const headers = { 'x-boxoffice-request': '1', cookie: signIn.headers.getSetCookie().map((cookie) => cookie.split(';')[0]).join('; ') }
  const ingestRate = await uploadPrepared(server.base, headers, batch, 4)
  const batchUrl = `${server.base}/api/batches/${batch.body.id}`
  const idleMb = rssMegabytes(server.pid)
  console.log(`uploaded at ${rate(ingestRate)} tickets/s; server RSS before the exports: ${mb(idleMb)}`)

  const lines = counter('\r\n')
  const csvStarted = performance.now()
  const csv = await withPeakRss(server.pid, async () => drain(await fetch(`${batchUrl}/tickets.csv`, { headers }), lines.add))
  const csvSeconds = (performance.now() - csvStarted) / 1000
  if (lines.count !== quantity + 1) throw new Error(`CSV has ${lines.count - 1} rows, expected ${quantity}`)
  console.log(
    `CSV: ${quantity.toLocaleString('en-US')} rows (${mb(csv.result / 1e6)}) in ${csvSeconds.toFixed(2)} s = ${rate(quantity / csvSeconds)} rows/s; ` +
      `server peak RSS ${mb(csv.peakMb)} (+${mb(csv.peakMb - idleMb)})`,
  )

  for (const layout of layouts) {
    const parts = (await (await fetch(`${batchUrl}/tickets.pdf/parts?layout=${layout}`, { headers })).json()) as PdfParts
    const pages = counter('/Type /Page\n')
    let bytes = 0
    const started = performance.now()
    const pdf = await withPeakRss(server.pid, async () => {
      for (const part of parts.parts) bytes += await drain(await fetch(`${server.base}${part.url}`, { headers }), pages.add)
    })
    const seconds = (performance.now() - started) / 1000
    const expectedPages = parts.parts.reduce((sum, part) => sum + part.pages, 0)
    if (pages.count !== expectedPages) throw new Error(`PDF ${layout}: ${pages.count} pages, expected ${expectedPages}`)
    console.log(
      `PDF ${layout}: ${pages.count.toLocaleString('en-US')} pages in ${parts.parts.length} files (${mb(bytes / 1e6)}) in ${seconds.toFixed(1)} s = ` +
        `${rate(pages.count / seconds)} pages/s, ${rate(quantity / seconds)} tickets/s; server peak RSS ${mb(pdf.peakMb)} (+${mb(pdf.peakMb - idleMb)})`,
    )
  }
} finally {
  await server.stop()
}
