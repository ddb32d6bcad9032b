// The password checks of one server process, through a BoundedWorkQueue. Each check is an scrypt
// computation (auth/password-hash.ts: about 0.3 s of one core and 32 MiB) on libuv's thread pool
// (4 threads), which also inflates gzip chunk uploads and reads the web app's files. Unbounded, a
// flood of sign-ins fills that pool's queue, and every gzip upload and page waits behind all of it
// (bench/sign-in-flood.ts, 200 sign-ins at once on 2 cores: 28 to 48 s).
import { availableParallelism } from 'node:os'
import { BoundedWorkQueue, type WorkQueueLimits } from './bounded-work-queue.ts'

/**
 * One core fewer than the machine has (at least one): scrypt then never holds more than that many
 * of the pool's threads, and one core stays free for the event loop, signature checks and the
 * files. On 2 cores that measured better than 2 checks at once: a chunk upload's median latency
 * did not move during a flood (2 at once: doubled), and its p99 under a sustained flood rose
 * 2.0 to 2.6 times (2 at once: 3.0 to 3.6). 16 checks a place may wait (about 5 s of work); the
 * rest are refused at once. Per process: each instance has its own line, while the failure
 * counts behind the rate limits are in the database, shared by all.
 */
export function defaultSignInLine(cores = availableParallelism()): WorkQueueLimits {
  const concurrency = Math.max(1, cores - 1)
  return { concurrency, maxWaiting: 16 * concurrency }
}

const WARNING_INTERVAL_MS = 10_000

export interface FloodWarning {
  /** Sign-ins refused since the last warning, this one included. */
  refused: number
  running: number
  waiting: number
}

export class SignInLine {
  readonly #queue: BoundedWorkQueue
  readonly #now: () => number
  #refusedSinceWarning = 0
  #lastWarning = -Infinity

  constructor(limits: WorkQueueLimits = defaultSignInLine(), now: () => number = () => performance.now()) {
    this.#queue = new BoundedWorkQueue(limits)
    this.#now = now
  }

  /** Every place taken and the line full: a sign-in now would be refused. */
  get full(): boolean {
    return this.#queue.full
  }

  /** See BoundedWorkQueue.tryRun: undefined when refused. */
  tryRun<T>(check: () => Promise<T>): Promise<T> | undefined {
    return this.#queue.tryRun(check)
  }

  /**
   * Counts a refused sign-in. Returns what to warn the operator about at most once every 10 s,
   * however many are refused: in a flood, a log line per refusal would be part of the flood.
   */
  refused(): FloodWarning | undefined {
    this.#refusedSinceWarning++
    const now = this.#now()
    if (now - this.#lastWarning < WARNING_INTERVAL_MS) return undefined
    const warning = { refused: this.#refusedSinceWarning, running: this.#queue.running, waiting: this.#queue.waiting }
    this.#lastWarning = now
    this.#refusedSinceWarning = 0
    return warning
  }
}
