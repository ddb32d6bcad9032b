// At most `concurrency` tasks at once, at most `maxWaiting` more in line, and no more than that:
// what sign-ins put their password checks through (auth/sign-in-line.ts). Pure: no timers, no
// I/O, so it is tested with gates the test opens.

export interface WorkQueueLimits {
  /** Tasks running at once. */
  concurrency: number
  /** Tasks waiting for a place; one more is refused at once. */
  maxWaiting: number
}

export class BoundedWorkQueue {
  readonly limits: WorkQueueLimits
  #running = 0
  /** Each waiting task's start, first come first served. */
  readonly #waiting: (() => void)[] = []

  constructor(limits: WorkQueueLimits) {
    if (!Number.isInteger(limits.concurrency) || limits.concurrency < 1) {
      throw new RangeError(`concurrency must be a positive integer; got ${limits.concurrency}`)
    }
    if (!Number.isInteger(limits.maxWaiting) || limits.maxWaiting < 0) {
      throw new RangeError(`maxWaiting must be an integer of 0 or more; got ${limits.maxWaiting}`)
    }
    this.limits = limits
  }

  get running(): number {
    return this.#running
  }

  get waiting(): number {
    return this.#waiting.length
  }

  /** True when tryRun would refuse: every place taken and the line full. */
  get full(): boolean {
    return this.#running >= this.limits.concurrency && this.#waiting.length >= this.limits.maxWaiting
  }

  /**
   * Runs `task` now if a place is free, else once one frees (in arrival order); its result or
   * error is the returned promise's. Undefined when the line is full: the task never runs.
   */
  tryRun<T>(task: () => Promise<T>): Promise<T> | undefined {
    if (this.#running < this.limits.concurrency) {
      this.#running++
      return this.#run(task)
    }
    if (this.#waiting.length >= this.limits.maxWaiting) return undefined
    return new Promise<void>((start) => this.#waiting.push(start)).then(() => this.#run(task))
  }

  async #run<T>(task: () => Promise<T>): Promise<T> {
    try {
      return await task()
    } finally {
      // The place passes straight to the first in line (the count stays), so a task arriving
      // before that one has started cannot take it.
      const next = this.#waiting.shift()
      if (next) next()
      else this.#running--
    }
  }
}
