export interface HeapFigures {
  start: number
  peak: number
  end: number
}

export interface RunFigures {
  implementation: 'boxoffice' | 'baseline'
  scenario: string
  quantity: number
  /** Click on the generate button to the batch completed on the server. */
  endToEndSeconds: number
  endToEndRate: number
  pageHeap: HeapFigures
  workerHeap?: HeapFigures
  /** Peak of page + worker heap minus their sum at the start. */
  heapGrowth: number
  storagePeakBytes: number
  /** Main-thread long tasks while generating. */
  longTasks: { count: number; maxMs: number }
  /** CPU time per ticket over the whole run: where the two cores went. */
  cpuMicrosPerTicket: CpuFigures
}

/** CPU µs per ticket. `browserByKind`: Chromium's browser, renderer (page and worker), network, storage and GPU processes. */
export interface CpuFigures {
  server: number
  browser: number
  browserByKind: Record<string, number>
}

export interface StageFigures {
  /** Signing and staging alone (the browser offline, so nothing uploads meanwhile). */
  generateStageRate: number
  /** Uploading already-staged tickets alone, through the worker, until completed. */
  drainRate: number
  generateCpuMicrosPerTicket: CpuFigures
  drainCpuMicrosPerTicket: CpuFigures
  /** The API alone: pre-signed chunks PUT from Node, 4 in flight. */
  serverIngestRate: number
}

export interface WireFigures {
  encoding: string
  /** Request line, headers and body of the chunk uploads, per ticket. */
  requestBytesPerTicket: number
  bodyBytesPerTicket: number
  /** Status line, headers and body of their answers, per ticket. */
  responseBytesPerTicket: number
  /** Chunk upload requests for the wire run's 10,000 tickets (200 chunks): fewer when runs are longer. */
  uploadRequests: number
  network: string
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

/** The run whose end-to-end rate is the median one, so that its other figures belong together. */
export function medianRun(runs: RunFigures[]): RunFigures {
  const sorted = [...runs].sort((a, b) => a.endToEndRate - b.endToEndRate)
  return sorted[Math.floor((sorted.length - 1) / 2)]!
}
