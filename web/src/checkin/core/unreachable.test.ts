import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ApiError } from '../../shared/io/api-client.ts'
import { serverUnreachable, sessionEnded } from './unreachable.ts'

test('network errors, 408 and 5xx send the check-in offline; other answers do not', () => {
  assert.equal(serverUnreachable(new TypeError('Failed to fetch')), true)
  assert.equal(serverUnreachable(new DOMException('signal timed out', 'TimeoutError')), true)
  assert.equal(serverUnreachable(new DOMException('aborted', 'AbortError')), false)
  for (const status of [408, 500, 502, 503]) assert.equal(serverUnreachable(new ApiError(status, 'X', 'x')), true, `status ${status}`)
  for (const status of [400, 401, 403, 404, 409, 413, 429]) assert.equal(serverUnreachable(new ApiError(status, 'X', 'x')), false, `status ${status}`)
  assert.equal(serverUnreachable(new SyntaxError('Unexpected token <')), false)
})

test('only a 401 means the session ended', () => {
  assert.equal(sessionEnded(new ApiError(401, 'SESSION_EXPIRED', 'x')), true)
  assert.equal(sessionEnded(new ApiError(403, 'CSRF_REJECTED', 'x')), false)
  assert.equal(sessionEnded(new TypeError('Failed to fetch')), false)
})
