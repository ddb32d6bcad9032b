import assert from 'node:assert/strict'
import { test } from 'node:test'
import { DEFAULT_RETRY_POLICY, isRetryable, parseRetryAfter, retryDelayMs, type RequestFailure } from './retry-policy.ts'

const http = (status: number, retryAfterMs?: number): RequestFailure => ({ kind: 'http', status, code: 'X', message: 'x', retryAfterMs })

test('network errors, 408, 429 and 5xx are retried; other 4xx are not', () => {
  assert.equal(isRetryable({ kind: 'network', message: 'reset' }), true)
  for (const status of [408, 429, 500, 502, 503, 504]) assert.equal(isRetryable(http(status)), true, `${status}`)
  for (const status of [400, 401, 403, 404, 409, 413, 415, 422]) assert.equal(isRetryable(http(status)), false, `${status}`)
})

test('backoff doubles from about 1 s and is capped at 30 s, with full jitter', () => {
  const top = () => 0.999999
  const ceilings = [1, 2, 3, 4, 5, 6, 7, 10].map((attempt) => retryDelayMs(DEFAULT_RETRY_POLICY, attempt, http(503), top))
  assert.deepEqual(ceilings, [999, 1999, 3999, 7999, 15999, 29999, 29999, 29999])
  assert.equal(
    retryDelayMs(DEFAULT_RETRY_POLICY, 3, http(503), () => 0),
    0,
  )
  assert.equal(
    retryDelayMs(DEFAULT_RETRY_POLICY, 3, http(503), () => 0.5),
    2000,
  )
})

test('Retry-After is waited out at least, and capped', () => {
  assert.equal(
    retryDelayMs(DEFAULT_RETRY_POLICY, 1, http(503, 5_000), () => 0.5),
    5_000,
  )
  assert.equal(
    retryDelayMs(DEFAULT_RETRY_POLICY, 6, http(429, 1_000), () => 0.5),
    15_000,
  )
  assert.equal(
    retryDelayMs(DEFAULT_RETRY_POLICY, 1, http(503, 3_600_000), () => 0),
    DEFAULT_RETRY_POLICY.maxRetryAfterMs,
  )
})

test('Retry-After parses seconds and HTTP dates, and ignores nonsense', () => {
  const now = Date.parse('2026-11-29T12:00:00Z')
  assert.equal(parseRetryAfter('3', now), 3000)
  assert.equal(parseRetryAfter('Sun, 29 Nov 2026 12:00:10 GMT', now), 10_000)
  assert.equal(parseRetryAfter('Sun, 29 Nov 2026 11:00:00 GMT', now), 0)
  assert.equal(parseRetryAfter('soon', now), undefined)
  assert.equal(parseRetryAfter(null, now), undefined)
})
