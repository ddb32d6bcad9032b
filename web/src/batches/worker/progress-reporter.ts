import type { BatchProgress } from '../core/batch-progress.ts'
import type { ProgressSink } from '../ports.ts'

/** Each batch's progress goes to the page at most this often; urgent changes go at once. */
const REPORT_INTERVAL_MS = 250

interface Pending {
  latest: BatchProgress
  lastSent: number
  timer: ReturnType<typeof setTimeout> | undefined
}

/** Throttles progress to the page: a few updates a second a batch, not one per chunk. */
export class ProgressReporter implements ProgressSink {
  #batches = new Map<string, Pending>()

  constructor(private readonly send: (progress: BatchProgress) => void) {}

  report(progress: BatchProgress, urgent: boolean): void {
    let pending = this.#batches.get(progress.id)
    if (!pending) {
      pending = { latest: progress, lastSent: 0, timer: undefined }
      this.#batches.set(progress.id, pending)
    }
    pending.latest = progress
    const now = performance.now()
    if (urgent || now - pending.lastSent >= REPORT_INTERVAL_MS) this.#flush(pending)
    else pending.timer ??= setTimeout(() => this.#flush(pending), REPORT_INTERVAL_MS - (now - pending.lastSent))
  }

  #flush(pending: Pending) {
    clearTimeout(pending.timer)
    pending.timer = undefined
    pending.lastSent = performance.now()
    this.send(pending.latest)
  }
}
