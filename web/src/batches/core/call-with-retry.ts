import { linkedAbortController } from '../../shared/core/abort.ts'
import type { HttpFailure, Outcome, RequestFailure } from '../../shared/core/request-failure.ts'
import type { Connectivity, SessionGate } from '../ports.ts'
import type { RecoveryBeacon } from './recovery-beacon.ts'
import { isRetryable, needsSignIn, retryDelayMs, type RetryPolicy } from './retry-policy.ts'

/** The server refused a request in a way that retrying cannot fix (a 4xx other than 408/429). */
export class RequestRejectedError extends Error {
  constructor(
    readonly operation: string,
    readonly failure: HttpFailure,
    /** Set when the request was a chunk's upload. */
    readonly chunkIndex?: number,
  ) {
    super(`${operation}: ${failure.message}`)
    this.name = 'RequestRejectedError'
  }
}

export type RetryNotice =
  | { kind: 'retrying'; operation: string; attempt: number; delayMs: number; failure: RequestFailure }
  | { kind: 'offline'; operation: string }
  | { kind: 'signed-out'; operation: string; failure: RequestFailure }
  | { kind: 'recovered'; operation: string }

export interface RetryContext {
  policy: RetryPolicy
  connectivity: Connectivity
  /** Without one, a 401 is final like any other 4xx. */
  session?: SessionGate
  signal: AbortSignal
  random?: () => number
  onNotice?: (notice: RetryNotice) => void
  /** The chunk this call uploads, if it does: a rejection carries it. */
  chunkIndex?: number
  /** Shared by calls that go to the same server: a success of one ends the others' backoff early. */
  recovery?: RecoveryBeacon
}

/**
 * Calls until the call succeeds, the server rejects it for good, or `signal` aborts.
 * Retries never run out: a staged batch is worth more than giving up. While the browser
 * reports itself offline, it waits for the network instead of spending attempts; while the
 * session is gone (401), it waits for a sign-in.
 */
export async function callWithRetry<T>(
  operation: string,
  call: (signal: AbortSignal) => Promise<Outcome<T>>,
  context: RetryContext,
): Promise<T> {
  const { connectivity, signal, onNotice } = context
  let retries = 0
  let troubled = false
  for (;;) {
    signal.throwIfAborted()
    if (!connectivity.isOnline()) {
      troubled = true
      onNotice?.({ kind: 'offline', operation })
      await connectivity.waitUntilOnline(signal)
      continue
    }
    const outcome = await call(signal)
    signal.throwIfAborted()
    if (outcome.ok) {
      context.recovery?.announce()
      if (troubled) onNotice?.({ kind: 'recovered', operation })
      return outcome.value
    }
    const { failure } = outcome
    if (needsSignIn(failure) && context.session) {
      troubled = true
      onNotice?.({ kind: 'signed-out', operation, failure })
      await context.session.waitForSignIn(signal)
      continue
    }
    if (!isRetryable(failure)) throw new RequestRejectedError(operation, failure as HttpFailure, context.chunkIndex)
    troubled = true
    if (!connectivity.isOnline()) continue
    retries++
    const delayMs = retryDelayMs(context.policy, retries, failure, context.random)
    onNotice?.({ kind: 'retrying', operation, attempt: retries, delayMs, failure })
    // A wait the server asked for (Retry-After) is kept in full; a backoff ends when another request gets through.
    const asked = failure.kind === 'http' && failure.retryAfterMs !== undefined
    await backOff(connectivity, delayMs, signal, asked ? undefined : context.recovery)
  }
}

async function backOff(connectivity: Connectivity, delayMs: number, signal: AbortSignal, recovery: RecoveryBeacon | undefined) {
  if (!recovery) return connectivity.sleep(delayMs, signal)
  const { controller: done, unlink } = linkedAbortController(signal)
  try {
    // Whichever ends first; aborting `done` then ends the other (race already handles its rejection).
    await Promise.race([connectivity.sleep(delayMs, done.signal), recovery.next(done.signal)])
  } finally {
    unlink()
    done.abort(new DOMException('backoff over', 'AbortError'))
  }
  signal.throwIfAborted()
}
