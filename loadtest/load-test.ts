// The whole load test: sign every office's batch once (in worker threads, before any timing), then
// run each phase on its own fresh server and database with those same batches.
import { FreshDatabases } from '@boxoffice/testkit/fresh-databases'
import type { RetryPolicy } from '@boxoffice/testkit/browser-protocol'
import type { LoadTestOptions } from './options.ts'
import { runPhase, type PhaseResult } from './phase.ts'
import type { PreparedBatch } from './prepared-batch.ts'
import { WorkerPool } from './worker-pool.ts'

export interface LoadTestResult {
  results: PhaseResult[]
  signing: { seconds: number; bytesPerTicket: number; plainBytesPerTicket: number }
}

export interface RunHooks {
  /** Progress lines for people. */
  log?: (line: string) => void
  /** The clients' backoff between retries; the browser's unless a test wants it shorter. */
  retryPolicy?: RetryPolicy
}

export async function runLoadTest(options: LoadTestOptions, { log = () => {}, retryPolicy }: RunHooks = {}): Promise<LoadTestResult> {
  const workers = new WorkerPool()
  // Each phase gets a database of its own: a SQLite file, or a database on one PostgreSQL server.
  const databases = new FreshDatabases(options.db, { settings: { fsync: 'on', max_connections: String(20 + 12 * options.instances) } })
  const server = { databases, instances: options.instances }
  try {
    const signingStarted = performance.now()
    log(`signing ${options.offices} batches of ${options.ticketsPerOffice.toLocaleString('en-US')} tickets…`)
    const batches: PreparedBatch[] = await Promise.all(
      Array.from({ length: options.offices }, (_, i) =>
        workers.sign(options.ticketsPerOffice, `Load test, box office ${i + 1}`, options.encoding),
      ),
    )
    const tickets = options.offices * options.ticketsPerOffice
    const signing = {
      seconds: (performance.now() - signingStarted) / 1000,
      bytesPerTicket: batches.reduce((sum, batch) => sum + batch.bytes.length, 0) / tickets,
      plainBytesPerTicket: batches.reduce((sum, batch) => sum + batch.plainBytes, 0) / tickets,
    }
    log(`signed in ${signing.seconds.toFixed(1)} s`)
    const results: PhaseResult[] = []
    for (const phase of options.phases) {
      log(`${phase}: starting a fresh server`)
      results.push(
        await runPhase({ phase, server, inFlight: options.inFlight, restartAt: options.restartAt, retryPolicy, log }, batches, workers),
      )
    }
    return { results, signing }
  } finally {
    await workers.close()
    await databases.dispose()
  }
}
