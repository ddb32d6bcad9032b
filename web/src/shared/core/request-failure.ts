// What can go wrong with an API request, and the one reading of it that the upload's retries,
// check-in's offline fallback and the downloads all act on. Pure: shared/io/request.ts makes these.

export type RequestFailure =
  /** No answer: fetch threw, the connection dropped, the answer was lost or cut off, or none came in time. */
  | { kind: 'network'; message: string }
  /** The server answered with an error status; `code` and `message` are from its JSON error body. */
  | { kind: 'http'; status: number; code: string; message: string; retryAfterMs?: number; details?: unknown }

export type HttpFailure = Extract<RequestFailure, { kind: 'http' }>

/** A request's result: callers branch on it instead of catching. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; failure: RequestFailure }

/**
 * What a failure means, whoever asked:
 *   - `unreachable`: no answer (see RequestFailure), 408 Request Timeout, or any 5xx: the server did
 *     not do what was asked, or cannot be known to have
 *   - `busy`: 429 Too Many Requests: the server is up and asks to be asked later
 *   - `signed-out`: 401: the session expired or was signed out
 *   - `refused`: any other 4xx: the server refused the request itself; sending it again cannot help
 */
export type FailureClass = 'unreachable' | 'busy' | 'signed-out' | 'refused'

export function classifyFailure(failure: RequestFailure): FailureClass {
  if (failure.kind === 'network' || failure.status === 408 || failure.status >= 500) return 'unreachable'
  if (failure.status === 429) return 'busy'
  if (failure.status === 401) return 'signed-out'
  return 'refused'
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

/** What the page's calls throw when the server answered with an error status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterMs?: number,
    readonly details?: unknown,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

/** What the page's calls throw when no answer came (see RequestFailure's `network`). */
export class NetworkError extends Error {
  override name = 'NetworkError'
}

/** The thrown form of a failure, for callers that throw. */
export function errorOf(failure: RequestFailure): ApiError | NetworkError {
  return failure.kind === 'network'
    ? new NetworkError(failure.message)
    : new ApiError(failure.status, failure.code, failure.message, failure.retryAfterMs, failure.details)
}

/**
 * The request failure an error stands for, or undefined when it stands for none (a bug, an abort).
 * Besides the errors above: fetch rejects with a TypeError on any network failure (and nothing
 * else in a request is one), and a request's deadline (shared/core/abort.ts) with a TimeoutError.
 */
export function failureOf(error: unknown): RequestFailure | undefined {
  if (error instanceof ApiError)
    return {
      kind: 'http',
      status: error.status,
      code: error.code,
      message: error.message,
      retryAfterMs: error.retryAfterMs,
      details: error.details,
    }
  if (error instanceof NetworkError || error instanceof TypeError) return { kind: 'network', message: error.message }
  if (error instanceof Error && error.name === 'TimeoutError') return { kind: 'network', message: error.message }
  return undefined
}

/** Whether an error says the session ended (a 401), so the page asks for a sign-in. */
export function sessionEnded(error: unknown): boolean {
  const failure = failureOf(error)
  return failure !== undefined && classifyFailure(failure) === 'signed-out'
}
