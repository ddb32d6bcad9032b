/**
 * Lets retries that are backing off go again as soon as another request gets through. Each
 * chunk's backoff grows with its own failures (up to 30 s), so after an outage some chunks would
 * otherwise sit idle long after the network and the server are back.
 */
export class RecoveryBeacon {
  #waiters = new Set<() => void>()

  /** Retries waiting for the next success. */
  get waiting(): number {
    return this.#waiters.size
  }

  /** A request succeeded: wake every retry waiting on `next`. */
  announce(): void {
    const waiters = [...this.#waiters]
    this.#waiters.clear()
    for (const wake of waiters) wake()
  }

  /** Resolves at the next announce(); never rejects (an abort just leaves it pending and forgotten). */
  next(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        signal.removeEventListener('abort', forget)
        resolve()
      }
      const forget = () => this.#waiters.delete(wake)
      this.#waiters.add(wake)
      signal.addEventListener('abort', forget, { once: true })
    })
  }
}
