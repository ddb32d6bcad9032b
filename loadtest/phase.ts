// One phase of the load test: a fresh server and database, one staff account and session per box
// office, every office's batch registered, then all offices upload at once (timed), optionally
// with the server (or one of its instances) killed (SIGKILL) and started again part-way; then the
// end state is checked exactly, through the API and in the database.
import { loadavg } from 'node:os'
import type { StorageConfig } from '@boxoffice/testkit/api-process'
import { countStoredTickets, exactReport, type ServerTicketReport } from '@boxoffice/testkit/server-tickets'
import type { RetryPolicy } from '@boxoffice/testkit/browser-protocol'
import { LatencyRecorder, type LatencySummary } from '@boxoffice/testkit/latency'
import { BoxOffice, type OfficeResult } from './office.ts'
import type { Phase } from './options.ts'
import { chunkCountOf, type PreparedBatch } from './prepared-batch.ts'
import { LoadTestServer, type ServerPlan } from './server-control.ts'
import type { WorkerPool } from './worker-pool.ts'

export interface PhaseSettings {
  phase: Phase
  /** The database and instances the server runs on. */
  server: ServerPlan
  inFlight: number
  /** Share of all tickets acknowledged when the server is killed (restart phase only). */
  restartAt: number
  /** Backoff between the clients' retries; the browser's (web/src/core/retry-policy.ts) by default. */
  retryPolicy?: RetryPolicy
  /** Progress lines for people, every few seconds. */
  log?: (line: string) => void
}

export interface RestartRecord {
  /** Seconds after the uploads started, when SIGKILL was sent. */
  killedAtSeconds: number
  /** Tickets acknowledged before the kill. */
  ackedBeforeKill: number
  /** From SIGKILL until the new process answered its health check. */
  downSeconds: number
}

export interface EndState {
  office: string
  batchId: string
  /** What GET /api/batches/:id says. */
  state: string
  ticketsReceived: number
  chunksReceived: number
  /** What the database file holds, every token's signature checked. */
  stored: ServerTicketReport
  /** Empty when the batch is exactly right. */
  problems: string[]
}

export interface PhaseResult {
  phase: Phase
  offices: OfficeResult[]
  /** From the first chunk PUT to the last completion. */
  seconds: number
  tickets: number
  /** Every chunk PUT that got an answer, all offices. */
  latency: LatencySummary
  /** The longest time no chunk was acknowledged (by any office) while uploads ran. */
  longestAckGapSeconds: number
  /** The machine's one-minute load average when the uploads started and when they ended. */
  loadAverage: [number, number]
  restart: RestartRecord | undefined
  endStates: EndState[]
  /** Rows in the tickets table, all batches: must equal `tickets`. */
  storedTickets: number
  exact: boolean
}

export async function runPhase(settings: PhaseSettings, batches: PreparedBatch[], workers: WorkerPool): Promise<PhaseResult> {
  const { phase, inFlight, log = () => {} } = settings
  const server = new LoadTestServer(settings.server)
  const offices: BoxOffice[] = []
  try {
    const setupStarted = performance.now()
    await server.start()
    const accounts = await server.addStaffAccounts(batches.length)
    log(`${phase}: server started and ${batches.length} staff accounts made in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s`)
    const total = batches.reduce((sum, batch) => sum + batch.body.quantity, 0)
    const restartAfter = phase === 'restart' ? Math.min(total, Math.max(1, Math.ceil(settings.restartAt * total))) : Infinity
    let acked = 0
    let restarting: Promise<RestartRecord> | undefined
    let started = 0
    let lastAck = 0
    let longestAckGap = 0
    const onAck = (tickets: number) => {
      const now = performance.now()
      longestAckGap = Math.max(longestAckGap, now - lastAck)
      lastAck = now
      acked += tickets
      if (acked >= restartAfter && !restarting) {
        const killedAtSeconds = (performance.now() - started) / 1000
        const ackedBeforeKill = acked
        log(`${phase}: SIGKILL at ${killedAtSeconds.toFixed(1)} s, ${ackedBeforeKill.toLocaleString('en-US')} tickets acknowledged`)
        restarting = server.crashAndRestart().then((downMs) => {
          log(`${phase}: server up again after ${(downMs / 1000).toFixed(1)} s`)
          return { killedAtSeconds, ackedBeforeKill, downSeconds: downMs / 1000 }
        })
        // Clients would retry forever against a server that never comes back.
        restarting.catch((error: Error) => offices.forEach((office) => office.abort(error)))
      }
    }
    for (const [i, batch] of batches.entries()) {
      offices.push(
        new BoxOffice({ baseURL: server.baseURL, account: accounts[i]!, batch, inFlight, retryPolicy: settings.retryPolicy, onAck }),
      )
    }
    await Promise.all(offices.map((office) => office.prepare()))

    const progress = setInterval(() => {
      const seconds = (performance.now() - started) / 1000
      log(
        `${phase}: ${acked.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} tickets acknowledged after ${seconds.toFixed(0)} s (${Math.round(acked / seconds).toLocaleString('en-US')}/s)`,
      )
    }, 5_000)
    started = lastAck = performance.now()
    const loadBefore = loadavg()[0]!
    try {
      await Promise.all(offices.map((office) => office.upload()))
    } finally {
      clearInterval(progress)
    }
    const seconds = (performance.now() - started) / 1000
    const loadAfter = loadavg()[0]!
    const restart = await restarting

    const checkStarted = performance.now()
    const endStates = await Promise.all(offices.map((office, i) => checkEndState(office, batches[i]!, server.database, workers)))
    const storedTickets = await countStoredTickets(server.database)
    log(`${phase}: uploads took ${seconds.toFixed(1)} s; end state checked in ${((performance.now() - checkStarted) / 1000).toFixed(1)} s`)
    const latency = new LatencyRecorder()
    for (const office of offices) latency.addAll(office.result.latency)
    const results = offices.map((office) => office.result)
    const exact =
      storedTickets === total &&
      endStates.every((end) => end.problems.length === 0) &&
      results.every((result) => result.givenUp.length === 0)
    return {
      phase,
      offices: results,
      seconds,
      tickets: total,
      latency: latency.summary(),
      longestAckGapSeconds: longestAckGap / 1000,
      loadAverage: [loadBefore, loadAfter],
      restart,
      endStates,
      storedTickets,
      exact,
    }
  } catch (error) {
    const logs = server.logs()
    throw new Error(
      `${phase} phase failed: ${error instanceof Error ? error.message : String(error)}\nlast server log lines:\n${logs.slice(-4000)}`,
      { cause: error },
    )
  } finally {
    await Promise.all(offices.map((office) => office.close()))
    await server.dispose()
  }
}

async function checkEndState(office: BoxOffice, batch: PreparedBatch, database: StorageConfig, workers: WorkerPool): Promise<EndState> {
  const quantity = batch.body.quantity
  const status = await office.status()
  const stored = await workers.inspect(database, batch.body.id, quantity)
  const problems: string[] = []
  if (status.state !== 'completed') problems.push(`state ${status.state}`)
  if (status.ticketsReceived !== quantity) problems.push(`ticketsReceived ${status.ticketsReceived} of ${quantity}`)
  if (status.chunksReceived !== chunkCountOf(batch)) problems.push(`chunksReceived ${status.chunksReceived} of ${chunkCountOf(batch)}`)
  const expected = exactReport(quantity)
  for (const [key, value] of Object.entries(expected) as [keyof ServerTicketReport, unknown][]) {
    if (stored[key] !== value) problems.push(`stored ${key} ${String(stored[key])}, expected ${String(value)}`)
  }
  return {
    office: office.name,
    batchId: batch.body.id,
    state: status.state,
    ticketsReceived: status.ticketsReceived,
    chunksReceived: status.chunksReceived,
    stored,
    problems,
  }
}
