import type { Ticket } from '@boxoffice/tickets'
import type { BatchPhase, BatchProgress } from '../core/batch-progress.ts'
import type { RetryNotice } from '../core/call-with-retry.ts'

/** Progress goes to the page at most this often; phase changes go at once. */
const REPORT_INTERVAL_MS = 250
/** Console lines for routine chunk acknowledgements at most this often; retries and failures always log. */
const LOG_INTERVAL_MS = 1_000

const ACTIVE: ReadonlySet<BatchPhase> = new Set(['generating', 'uploading', 'completing', 'waiting-network', 'offline', 'signed-out'])
/** Phases that hold the upload back; progress reports do not override them. */
const WAITING: ReadonlySet<BatchPhase> = new Set(['waiting-network', 'offline', 'signed-out'])

/** Keeps one batch's progress snapshot, throttles what reaches the page, and writes the console lines. */
export class ProgressReporter {
  current: BatchProgress
  #lastSent = 0
  #pending: ReturnType<typeof setTimeout> | undefined
  #lastLog = 0
  #runStartedAt = 0
  #generatedAtStart = 0
  #uploadedAtStart: number | undefined

  constructor(
    initial: BatchProgress,
    private readonly send: (progress: BatchProgress) => void,
  ) {
    this.current = initial
  }

  startRun(generated: number) {
    this.#runStartedAt = performance.now()
    this.#generatedAtStart = generated
    this.#uploadedAtStart = undefined
  }

  generated(generated: number, preview: readonly Ticket[]) {
    this.report({ generated, preview: [...preview], phase: this.#workingPhase(generated) })
  }

  /** Generation stopped early (storage full): what was staged still uploads, so the batch is uploading now. */
  generationStopped(message: string) {
    this.report({ generationError: message, phase: this.current.phase === 'generating' ? 'uploading' : this.current.phase }, true)
  }

  uploaded(uploaded: number) {
    this.#uploadedAtStart ??= uploaded
    this.report({ uploaded })
  }

  chunkAcked(index: number, uploaded: number) {
    this.#uploadedAtStart ??= 0
    // An acknowledged chunk means uploads get through again, whatever held them back.
    const phase = uploaded >= this.current.quantity ? 'completing' : this.#recoveredPhase()
    const changed = phase !== this.current.phase
    this.report(changed ? { uploaded, phase, retry: undefined } : { uploaded }, changed)
    const now = performance.now()
    if (now - this.#lastLog >= LOG_INTERVAL_MS || uploaded >= this.current.quantity) {
      this.#lastLog = now
      const percent = ((uploaded / this.current.quantity) * 100).toFixed(1)
      console.log(`batch ${this.current.id}: chunk ${index} saved, ${uploaded}/${this.current.quantity} uploaded (${percent}%)`)
    }
  }

  notice(notice: RetryNotice, chunkIndex?: number) {
    const target = chunkIndex === undefined ? notice.operation : `chunk ${chunkIndex}`
    if (notice.kind === 'retrying') {
      const reason = notice.failure.kind === 'network' ? notice.failure.message : `${notice.failure.status} ${notice.failure.code}`
      console.warn(`batch ${this.current.id}: retry ${notice.attempt} for ${target} in ${Math.round(notice.delayMs / 100) / 10} s (${reason})`)
      this.report({ phase: 'waiting-network', retry: { at: Date.now() + notice.delayMs, attempt: notice.attempt, operation: target, reason } }, true)
    } else if (notice.kind === 'signed-out') {
      console.warn(`batch ${this.current.id}: session ended; ${target} waits for a new sign-in`)
      this.report({ phase: 'signed-out', retry: undefined }, true)
    } else if (notice.kind === 'offline') {
      console.warn(`batch ${this.current.id}: offline; ${target} waits for the network`)
      this.report({ phase: 'offline', retry: undefined }, true)
    } else {
      console.log(`batch ${this.current.id}: ${target} went through again`)
      this.report({ phase: this.#recoveredPhase(), retry: undefined }, true)
    }
  }

  report(change: Partial<BatchProgress>, immediately = false) {
    this.current = { ...this.current, ...change, ...this.#rates(change) }
    const now = performance.now()
    if (immediately || now - this.#lastSent >= REPORT_INTERVAL_MS) {
      this.#flush()
    } else {
      this.#pending ??= setTimeout(() => this.#flush(), REPORT_INTERVAL_MS - (now - this.#lastSent))
    }
  }

  #flush() {
    clearTimeout(this.#pending)
    this.#pending = undefined
    this.#lastSent = performance.now()
    this.send(this.current)
  }

  #rates(change: Partial<BatchProgress>) {
    const seconds = (performance.now() - this.#runStartedAt) / 1000
    if (seconds <= 0 || !this.#runStartedAt) return {}
    const generated = change.generated ?? this.current.generated
    const uploaded = change.uploaded ?? this.current.uploaded
    return {
      generateRate: generated < this.current.quantity || change.generated !== undefined ? (generated - this.#generatedAtStart) / seconds : this.current.generateRate,
      uploadRate: this.#uploadedAtStart === undefined ? 0 : (uploaded - this.#uploadedAtStart) / seconds,
    }
  }

  /** The phase after generation progress: it does not clear a wait for the network or a sign-in. */
  #workingPhase(generated: number): BatchPhase {
    if (!ACTIVE.has(this.current.phase) && this.current.phase !== 'elsewhere') return this.current.phase
    if (WAITING.has(this.current.phase)) return this.current.phase
    return this.#stillGenerating(generated) ? 'generating' : 'uploading'
  }

  /** The phase once a request went through: whatever held the upload back is over. */
  #recoveredPhase(): BatchPhase {
    if (!ACTIVE.has(this.current.phase)) return this.current.phase
    if (this.current.uploaded >= this.current.quantity) return 'completing'
    return this.#stillGenerating(this.current.generated) ? 'generating' : 'uploading'
  }

  #stillGenerating(generated: number): boolean {
    return generated < this.current.quantity && this.current.generationError === undefined
  }
}
