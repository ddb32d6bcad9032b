// The one way web/src calls the API, from the page and from the ticket worker: a same-origin
// fetch with the CSRF header and the session cookie (or a gate device's key), a JSON or binary body, an optional deadline,
// and every failure read one way (shared/core/request-failure.ts).
import { CSRF_HEADER, CSRF_HEADER_VALUE, type ErrorBody } from '@boxoffice/tickets'
import { deadline } from '../core/abort.ts'
import { errorOf, parseRetryAfter, type Outcome, type RequestFailure } from '../core/request-failure.ts'
import { deviceKey } from './device-key.ts'

export const API_BASE = '/api'

/** A body sent as it is, e.g. a chunk's signatures. */
export interface BinaryBody {
  bytes: Uint8Array<ArrayBuffer>
  mediaType: string
}

export interface RequestOptions {
  /** JSON, or a BinaryBody sent as it is. */
  body?: unknown
  signal?: AbortSignal
  /** Longest the request may take, its answer's body included, before it counts as no answer. */
  timeoutMs?: number
}

/**
 * Calls `url`. Never throws for HTTP or network failures: they come back as `{ ok: false }`.
 * Throws only `options.signal`'s reason, once it aborts.
 */
export async function request<T>(method: string, url: string, options: RequestOptions = {}): Promise<Outcome<T>> {
  const { body, signal } = options
  // The custom header is the API's CSRF check for requests without an Origin; the session
  // cookie rides along because the request is same-origin.
  const headers: Record<string, string> = { [CSRF_HEADER]: CSRF_HEADER_VALUE }
  // A registered gate device signs every call with its key instead (shared/io/device-key.ts).
  const key = deviceKey()
  if (key) headers.authorization = `Device ${key}`
  let payload: BodyInit | undefined
  if (isBinaryBody(body)) {
    headers['content-type'] = body.mediaType
    payload = body.bytes
  } else if (body !== undefined) {
    headers['content-type'] = 'application/json'
    payload = JSON.stringify(body)
  }
  // Covers the answer's body too: a server that stalls mid-body is as dead as one that never answers.
  const limit = options.timeoutMs === undefined ? undefined : deadline(options.timeoutMs, signal)
  let response: Response
  let parsed: unknown
  try {
    try {
      response = await fetch(url, { method, headers, body: payload, signal: limit?.signal ?? signal, credentials: 'same-origin' })
    } catch (error) {
      signal?.throwIfAborted()
      return { ok: false, failure: { kind: 'network', message: messageOf(error) } }
    }
    try {
      parsed = response.status === 204 ? undefined : await response.json()
    } catch (error) {
      signal?.throwIfAborted()
      // A body cut off mid-way is a network failure; an intact non-JSON body is the server's answer.
      if (response.ok || response.status >= 500)
        return { ok: false, failure: { kind: 'network', message: `response unreadable (${messageOf(error)})` } }
      parsed = undefined
    }
  } finally {
    limit?.release()
  }
  if (response.ok) return { ok: true, value: parsed as T }
  return { ok: false, failure: httpFailure(response, parsed) }
}

/** The page's form of `request` for `/api` paths: the answer, or throws ApiError or NetworkError. */
export async function apiRequest<T>(method: string, path: string, body?: unknown, options: Omit<RequestOptions, 'body'> = {}): Promise<T> {
  const outcome = await request<T>(method, `${API_BASE}${path}`, { ...options, body })
  if (!outcome.ok) throw errorOf(outcome.failure)
  return outcome.value
}

function httpFailure(response: Response, parsed: unknown): RequestFailure {
  const error = (parsed as Partial<ErrorBody> | undefined)?.error
  return {
    kind: 'http',
    status: response.status,
    code: error?.code ?? `HTTP_${response.status}`,
    message: error?.message ?? `server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`,
    retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), Date.now()),
    details: error?.details,
  }
}

function isBinaryBody(body: unknown): body is BinaryBody {
  return typeof body === 'object' && body !== null && 'bytes' in body && 'mediaType' in body
}

/** A deadline's TimeoutError already says "no answer within 30 s". */
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
