// Export throughput and server memory for one completed batch: its CSV and every PDF part, each
// read to the end as a browser would, with the server's resident memory (RSS, from /proc, every
// 20 ms) before the exports and at its peak during each, so that a download that held the whole
// file in memory would show.
import { readFileSync } from 'node:fs'
import type { PdfParts, TicketLayout } from '@boxoffice/tickets'

export interface ExportFigure {
  kind: 'csv' | `pdf-${TicketLayout}`
  /** Rows for the CSV, pages for a PDF. */
  units: number
  files: number
  bytes: number
  seconds: number
  unitsPerSecond: number
  ticketsPerSecond: number
  peakRssMb: number
}

export interface ExportFigures {
  tickets: number
  idleRssMb: number
  exports: ExportFigure[]
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
async function readToEnd(response: Response, inspect: (chunk: Uint8Array) => void): Promise<number> {
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

export async function measureExports(
  server: { baseURL: string; pid: number },
  headers: Record<string, string>,
  batch: { id: string; quantity: number },
  layouts: readonly TicketLayout[],
): Promise<ExportFigures> {
  const batchUrl = `${server.baseURL}/api/batches/${batch.id}`
  const idleRssMb = rssMegabytes(server.pid)
  const exports: ExportFigure[] = []

  const lines = counter('\r\n')
  const csvStarted = performance.now()
  const csv = await withPeakRss(server.pid, async () => readToEnd(await fetch(`${batchUrl}/tickets.csv`, { headers }), lines.add))
  const csvSeconds = (performance.now() - csvStarted) / 1000
  if (lines.count !== batch.quantity + 1) throw new Error(`CSV has ${lines.count - 1} rows, expected ${batch.quantity}`)
  exports.push(figure('csv', batch.quantity, 1, csv.result, csvSeconds, batch.quantity, csv.peakMb))

  for (const layout of layouts) {
    const parts = (await (await fetch(`${batchUrl}/tickets.pdf/parts?layout=${layout}`, { headers })).json()) as PdfParts
    const pages = counter('/Type /Page\n')
    const started = performance.now()
    const pdf = await withPeakRss(server.pid, async () => {
      let bytes = 0
      for (const part of parts.parts) bytes += await readToEnd(await fetch(`${server.baseURL}${part.url}`, { headers }), pages.add)
      return bytes
    })
    const seconds = (performance.now() - started) / 1000
    const expectedPages = parts.parts.reduce((sum, part) => sum + part.pages, 0)
    if (pages.count !== expectedPages) throw new Error(`PDF ${layout}: ${pages.count} pages, expected ${expectedPages}`)
    exports.push(figure(`pdf-${layout}`, pages.count, parts.parts.length, pdf.result, seconds, batch.quantity, pdf.peakMb))
  }
  return { tickets: batch.quantity, idleRssMb, exports }
}

function figure(
  kind: ExportFigure['kind'],
  units: number,
  files: number,
  bytes: number,
  seconds: number,
  tickets: number,
  peakRssMb: number,
): ExportFigure {
  return { kind, units, files, bytes, seconds, unitsPerSecond: units / seconds, ticketsPerSecond: tickets / seconds, peakRssMb }
}

const rate = (value: number) => Math.round(value).toLocaleString('en-US')
const mb = (value: number) => `${value.toFixed(0)} MB`

/** One line per export, e.g. "CSV: 100,000 rows (25 MB) in 0.36 s = 278,000 rows/s; server peak RSS 348 MB (+16 MB)". */
export function describeExports(figures: ExportFigures): string[] {
  return figures.exports.map((item) => {
    const memory = `server peak RSS ${mb(item.peakRssMb)} (+${mb(item.peakRssMb - figures.idleRssMb)})`
    if (item.kind === 'csv') {
      return `CSV: ${item.units.toLocaleString('en-US')} rows (${mb(item.bytes / 1e6)}) in ${item.seconds.toFixed(2)} s = ${rate(item.unitsPerSecond)} rows/s; ${memory}`
    }
    return (
      `PDF ${item.kind.slice(4)}: ${item.units.toLocaleString('en-US')} pages in ${item.files} files (${mb(item.bytes / 1e6)}) in ${item.seconds.toFixed(1)} s = ` +
      `${rate(item.unitsPerSecond)} pages/s, ${rate(item.ticketsPerSecond)} tickets/s; ${memory}`
    )
  })
}
