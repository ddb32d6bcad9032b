// When the Check-in page stops asking the server and decides from the kit instead. Pure.
//
// Decided offline (the server did not record the check-in, or cannot be known to have):
//   - network errors: fetch threw (no connection, DNS, connection reset, the answer lost)
//   - no answer in time (the request's timeout signal fired)
//   - 408 Request Timeout, and every 5xx (the API answers 503 when its database cannot serve)
//   A check-in that did reach the server is sent again by the sync with the same device and time,
//   which the server answers as a replay, so nothing is counted twice.
// Not decided offline:
//   - 401: the session ended; staff sign in again
//   - other 4xx: the server refused the request itself; that answer will not change offline
import { ApiError } from '../../shared/io/api-client.ts'

export function serverUnreachable(error: unknown): boolean {
  if (error instanceof ApiError) return error.status === 408 || error.status >= 500
  // A request's deadline (shared/core/abort.ts) rejects fetch with a DOMException named TimeoutError.
  if (error instanceof Error && error.name === 'TimeoutError') return true
  // fetch rejects with a TypeError on any network failure, and nothing else in a request is one.
  return error instanceof TypeError
}

export function sessionEnded(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401
}
