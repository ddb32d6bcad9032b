import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ApiError, classifyFailure, errorOf, failureOf, NetworkError, sessionEnded, type RequestFailure } from './request-failure.ts'

const http = (status: number): RequestFailure => ({ kind: 'http', status, code: 'X', message: 'x' })

test('only a 401 means the session ended', () => {
  assert.equal(sessionEnded(new ApiError(401, 'SESSION_EXPIRED', 'x')), true)
  assert.equal(sessionEnded(new ApiError(403, 'CSRF_REJECTED', 'x')), false)
  assert.equal(sessionEnded(new TypeError('Failed to fetch')), false)
})

test('no answer, 408 and 5xx are unreachable; 429 busy; 401 signed out; other 4xx refused', () => {
  assert.equal(classifyFailure({ kind: 'network', message: 'reset' }), 'unreachable')
  for (const status of [408, 500, 502, 503, 504]) assert.equal(classifyFailure(http(status)), 'unreachable', `${status}`)
  assert.equal(classifyFailure(http(429)), 'busy')
  assert.equal(classifyFailure(http(401)), 'signed-out')
  for (const status of [400, 403, 404, 409, 413, 415, 422]) assert.equal(classifyFailure(http(status)), 'refused', `${status}`)
})

test('a thrown request failure reads back as the failure it was; other errors are none', () => {
  const busy: RequestFailure = {
    kind: 'http',
    status: 503,
    code: 'STORAGE_UNAVAILABLE',
    message: 'busy',
    retryAfterMs: 5_000,
    details: { table: 'tickets' },
  }
  assert.deepEqual(failureOf(errorOf(busy)), busy)
  assert.ok(errorOf({ kind: 'network', message: 'no answer within 30 s' }) instanceof NetworkError)
  assert.deepEqual(failureOf(errorOf({ kind: 'network', message: 'no answer within 30 s' })), {
    kind: 'network',
    message: 'no answer within 30 s',
  })
  assert.deepEqual(failureOf(new TypeError('Failed to fetch')), { kind: 'network', message: 'Failed to fetch' })
  assert.deepEqual(failureOf(new DOMException('no answer within 4 s', 'TimeoutError')), {
    kind: 'network',
    message: 'no answer within 4 s',
  })
  assert.equal(failureOf(new DOMException('stopped by the user', 'AbortError')), undefined)
  assert.equal(failureOf(new SyntaxError('Unexpected token <')), undefined)
})
