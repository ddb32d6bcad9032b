import { abortable } from '../../shared/core/abort.ts'
import type { SessionGate } from '../ports.ts'

/** While signed out, requests are tried again this often anyway: another tab may have signed in. */
const RECHECK_MS = 5_000

/** Opened by the page when someone signs in; uploads waiting on a 401 then try again. */
export class SignInGate implements SessionGate {
  #waiters = new Set<() => void>()

  signedIn(): void {
    for (const wake of [...this.#waiters]) wake()
  }

  waitForSignIn(signal: AbortSignal): Promise<void> {
    return abortable(signal, (resolve) => {
      const wake = () => resolve()
      const timer = setTimeout(wake, RECHECK_MS)
      this.#waiters.add(wake)
      return () => {
        clearTimeout(timer)
        this.#waiters.delete(wake)
      }
    })
  }
}
