import { abortable } from '../../shared/core/abort.ts'

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

  /** Resolves at the next announce(); rejects with the reason once `signal` aborts, and is forgotten. */
  next(signal: AbortSignal): Promise<void> {
    return abortable(signal, (resolve) => {
      const wake = () => resolve()
      this.#waiters.add(wake)
      return () => this.#waiters.delete(wake)
    })
  }
}
