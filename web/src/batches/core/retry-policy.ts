// Which failed requests are retried, and after how long. Pure data and functions: no timers here.
//
// Retried, with exponential backoff and full jitter, for as long as the batch runs:
//   - network errors: fetch threw, the connection dropped, or the response was lost
//   - 408 Request Timeout and 429 Too Many Requests
//   - every 5xx
//   A Retry-After header (seconds or HTTP date) is honoured as the minimum wait.
// Waited out, not retried by backoff:
//   - 401: the session expired or was signed out; the request goes again once someone signs in
// Not retried (the batch stops, its data stays staged):
//   - every other 4xx: the server refused the request itself, so sending it again cannot help

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

export type RequestFailure =
  | { kind: 'network'; message: string }
  | { kind: 'http'; status: number; code: string; message: string; retryAfterMs?: number; details?: unknown }

export function needsSignIn(failure: RequestFailure): boolean {
  return failure.kind === 'http' && failure.status === 401
}

export function isRetryable(failure: RequestFailure): boolean {
  if (failure.kind === 'network') return true
  return failure.status === 408 || failure.status === 429 || failure.status >= 500
}

/** Delay before retry number `attempt` (1 for the first retry). `random` returns [0, 1). */
export function retryDelayMs(
  policy: RetryPolicy,
  attempt: number,
  failure: RequestFailure,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** Math.max(0, attempt - 1))
  const jittered = Math.floor(random() * ceiling)
  if (failure.kind === 'http' && failure.retryAfterMs !== undefined) {
    return Math.max(Math.min(failure.retryAfterMs, policy.maxRetryAfterMs), jittered)
  }
  return jittered
}

/** Parses a Retry-After header: delta-seconds or an HTTP date. Unparseable values are ignored. */
export function parseRetryAfter(header: string | null, nowMs: number): number | undefined {
  if (header === null || header.trim() === '') return undefined
  const trimmed = header.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
  const date = Date.parse(trimmed)
  if (Number.isNaN(date)) return undefined
  return Math.max(0, date - nowMs)
}
