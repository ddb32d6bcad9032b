// Ed25519 verification is the CPU-heavy part of ingest (~105 µs a ticket): this pool spreads whole
// chunks over worker threads, so verification uses every core and runs while the main thread
// parses bodies and commits other chunks. Each worker runs the same checkChunk as the in-process
// verifier and caches imported keys per batch itself.
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import createError from '@fastify/error'
import type { BatchKey, ChunkVerifier, TicketProblem, TicketToVerify } from './chunk-verifier.ts'
import { chooseSignatureCheck, type SignatureLibrary, type SignatureLibraryChoice } from './signature-check.ts'
import type { VerifyRequest, VerifyWorkerData, VerifyWorkerMessage } from './verify-worker.ts'

/** A worker died holding the chunk, or none could be started. Not the client's fault: retrying may succeed. */
export const VerificationUnavailable = createError('VERIFICATION_UNAVAILABLE', '%s', 503)
/** checkChunk threw inside a worker; the in-process verifier would have thrown the same. */
export const VerificationFailed = createError('VERIFICATION_FAILED', '%s', 500)

export interface WorkerPoolOptions {
  /** Worker threads; default `os.availableParallelism()`. */
  threads?: number
  /** Imported public keys each worker keeps (least recently used dropped first). */
  keyCacheSize?: number
  /** Default `auto`: libsodium when it loads, else OpenSSL; decided once here, for every worker. */
  library?: SignatureLibraryChoice
  /**
   * Chunks handed to one worker at a time. Two keep a worker busy while its last answer travels
   * back and while the main thread is blocked in a commit and cannot hand out more.
   */
  chunksPerWorker?: number
  /** The worker entry point; tests substitute one that crashes on demand. */
  workerUrl?: URL
  /** Told of every worker that dies unexpectedly, after its chunks were failed and a replacement started. */
  onWorkerExit?: (error: Error) => void
  /** Delay before replacing a worker that died while starting, so a broken script does not spin. */
  restartDelayMs?: number
}

export interface WorkerPoolChunkVerifier extends ChunkVerifier {
  readonly threads: number
  /** Workers started and not exited: `threads` normally, fewer while one is being replaced, 0 once closed. */
  readonly runningWorkers: number
}

interface Job {
  batch: BatchKey
  tickets: readonly TicketToVerify[]
  resolve(problems: TicketProblem[]): void
  reject(error: Error): void
}

interface PoolWorker {
  worker: Worker
  ready: boolean
  jobs: Map<number, Job>
  error?: Error
}

const DEFAULT_WORKER_URL = new URL('./verify-worker.mjs', import.meta.url)

/** Starts the workers and resolves once every one is ready; rejects if any fails to start. */
export async function createWorkerPoolChunkVerifier(options: WorkerPoolOptions = {}): Promise<WorkerPoolChunkVerifier> {
  const pool = new WorkerPool(options)
  await pool.started
  return pool
}

class WorkerPool implements WorkerPoolChunkVerifier {
  readonly threads: number
  readonly library: SignatureLibrary
  readonly started: Promise<void>
  readonly #options: Required<Omit<WorkerPoolOptions, 'onWorkerExit' | 'library'>> & Pick<WorkerPoolOptions, 'onWorkerExit'>
  readonly #workers = new Set<PoolWorker>()
  readonly #queue: Job[] = []
  readonly #restartTimers = new Set<NodeJS.Timeout>()
  #nextJobId = 0
  #closed = false

  constructor(options: WorkerPoolOptions) {
    const threads = options.threads ?? availableParallelism()
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be a positive integer; got ${threads}`)
    this.threads = threads
    const chunksPerWorker = options.chunksPerWorker ?? 2
    if (!Number.isInteger(chunksPerWorker) || chunksPerWorker < 1) {
      throw new RangeError(`chunksPerWorker must be a positive integer; got ${chunksPerWorker}`)
    }
    this.library = chooseSignatureCheck(options.library ?? 'auto').library
    this.#options = {
      threads,
      keyCacheSize: options.keyCacheSize ?? 256,
      chunksPerWorker,
      workerUrl: options.workerUrl ?? DEFAULT_WORKER_URL,
      restartDelayMs: options.restartDelayMs ?? 1000,
      onWorkerExit: options.onWorkerExit,
    }
    const starting = Array.from({ length: threads }, () => this.#spawn())
    this.started = Promise.all(starting).then(
      () => undefined,
      async (error: unknown) => {
        await this.close()
        throw new Error(`verification workers failed to start: ${error instanceof Error ? error.message : error}`, { cause: error })
      },
    )
  }

  get runningWorkers(): number {
    return [...this.#workers].filter((entry) => entry.ready).length
  }

  verifyChunk(batch: BatchKey, tickets: readonly TicketToVerify[]): Promise<TicketProblem[]> {
    if (this.#closed) return Promise.reject(new VerificationUnavailable('the verifier is closed'))
    if (tickets.length === 0) return Promise.resolve([])
    return new Promise((resolve, reject) => {
      this.#queue.push({ batch, tickets, resolve, reject })
      this.#dispatch()
    })
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    for (const timer of this.#restartTimers) clearTimeout(timer)
    this.#restartTimers.clear()
    this.#failQueued('the verifier is closing')
    await Promise.all(
      [...this.#workers].map(async (entry) => {
        this.#failJobs(entry, 'the verifier is closing')
        await entry.worker.terminate()
      }),
    )
    this.#workers.clear()
  }

  /** Resolves when the worker is ready; rejects if it exits first. */
  #spawn(): Promise<void> {
    const workerData: VerifyWorkerData = { keyCacheSize: this.#options.keyCacheSize, library: this.library }
    // execArgv: [] — the worker registers tsx itself (see verify-worker.mjs); the parent's loader flags do not help it.
    const worker = new Worker(this.#options.workerUrl, { workerData, execArgv: [] })
    const entry: PoolWorker = { worker, ready: false, jobs: new Map() }
    this.#workers.add(entry)
    return new Promise((resolveReady, rejectReady) => {
      worker.on('message', (message: VerifyWorkerMessage) => {
        if (message.type === 'ready') {
          entry.ready = true
          worker.unref() // idle workers must not keep the process alive; #send refs while jobs are out
          resolveReady()
          this.#dispatch()
          return
        }
        this.#settle(entry, message)
      })
      worker.on('error', (error) => {
        entry.error = error
      })
      worker.on('exit', (code) => {
        this.#workers.delete(entry)
        if (this.#closed) return
        const error = entry.error ?? new Error(`verification worker exited with code ${code}`)
        if (!entry.ready) rejectReady(error)
        this.#replace(entry, error)
      })
    })
  }

  #replace(dead: PoolWorker, error: Error) {
    this.#failJobs(dead, 'a verification worker stopped while checking this chunk')
    // A worker that never became ready will likely fail again: wait before trying, and fail the
    // queue now if nothing else can serve it, rather than let requests hang.
    const delay = dead.ready ? 0 : this.#options.restartDelayMs
    // Not unref'd: chunks may be waiting for this worker. close() clears it.
    const timer = setTimeout(() => {
      this.#restartTimers.delete(timer)
      this.#spawn().catch(() => {}) // its own exit handler deals with a failed start
    }, delay)
    this.#restartTimers.add(timer)
    if (!dead.ready && ![...this.#workers].some((entry) => entry.ready)) {
      this.#failQueued('no verification worker is running')
    }
    this.#options.onWorkerExit?.(error)
    this.#dispatch()
  }

  #dispatch() {
    while (this.#queue.length > 0) {
      let idlest: PoolWorker | undefined
      for (const entry of this.#workers) {
        if (entry.ready && entry.jobs.size < this.#options.chunksPerWorker && (!idlest || entry.jobs.size < idlest.jobs.size)) {
          idlest = entry
        }
      }
      if (!idlest) break
      this.#send(idlest, this.#queue.shift()!)
    }
  }

  #send(entry: PoolWorker, job: Job) {
    const id = this.#nextJobId++
    const serials: number[] = new Array(job.tickets.length)
    const tokens: string[] = new Array(job.tickets.length)
    job.tickets.forEach((ticket, i) => {
      serials[i] = ticket.serial
      tokens[i] = ticket.token
    })
    if (entry.jobs.size === 0) entry.worker.ref()
    entry.jobs.set(id, job)
    entry.worker.postMessage({ id, batch: job.batch, serials, tokens } satisfies VerifyRequest)
  }

  #settle(entry: PoolWorker, message: Exclude<VerifyWorkerMessage, { type: 'ready' }>) {
    const job = entry.jobs.get(message.id)
    if (!job) return
    entry.jobs.delete(message.id)
    if (entry.jobs.size === 0) entry.worker.unref()
    if (message.type === 'verified') job.resolve(message.problems)
    else job.reject(new VerificationFailed(message.message))
    this.#dispatch()
  }

  #failJobs(entry: PoolWorker, reason: string) {
    for (const job of entry.jobs.values()) job.reject(new VerificationUnavailable(reason))
    entry.jobs.clear()
  }

  #failQueued(reason: string) {
    for (const job of this.#queue.splice(0)) job.reject(new VerificationUnavailable(reason))
  }
}
