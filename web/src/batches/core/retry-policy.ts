// Which failed requests are retried, and after how long. Pure data and functions: no timers here.
// What a failure is comes from the classifier every request shares (shared/core/request-failure.ts).
//
// Retried, with exponential backoff and full jitter, for as long as the batch runs:
//   - `unreachable`: network errors (fetch threw, the connection dropped, or the response was
//     lost), 408 Request Timeout, and every 5xx
//   - `busy`: 429 Too Many Requests
//   A Retry-After header (seconds or HTTP date) is honoured as the minimum wait.
// Waited out, not retried by backoff:
//   - `signed-out` (401): the session expired or was signed out; the request goes again once someone signs in
// Not retried (the batch stops, its data stays staged):
//   - `refused` (every other 4xx): the server refused the request itself, so sending it again cannot help
import { classifyFailure, type RequestFailure } from '../../shared/core/request-failure.ts'

// The load test (loadtest/office.ts) retries exactly as the browser does, from this one module.
export { parseRetryAfter, type RequestFailure } from '../../shared/core/request-failure.ts'

export interface RetryPolicy {
  initialDelayMs: number
  maxDelayMs: number
  multiplier: number
  /** A server asking for longer than this is waited on for this long instead. */
  maxRetryAfterMs: number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  initialDelayMs: 1_000,
  maxDelayMs: 30_000,
  multiplier: 2,
  maxRetryAfterMs: 120_000,
}

export function needsSignIn(failure: RequestFailure): boolean {
  return classifyFailure(failure) === 'signed-out'
}

export function isRetryable(failure: RequestFailure): boolean {
  const kind = classifyFailure(failure)
  return kind === 'unreachable' || kind === 'busy'
}

/** Delay before retry number `attempt` (1 for the first retry). `random` returns [0, 1). */
export function retryDelayMs(policy: RetryPolicy, attempt: number, failure: RequestFailure, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** Math.max(0, attempt - 1))
  const jittered = Math.floor(random() * ceiling)
  if (failure.kind === 'http' && failure.retryAfterMs !== undefined) {
    return Math.max(Math.min(failure.retryAfterMs, policy.maxRetryAfterMs), jittered)
  }
  return jittered
}
