import assert from 'node:assert/strict'
import { test } from 'node:test'
import { csrfProblem, type CsrfFacts } from './csrf.ts'

const base: CsrfFacts = { method: 'POST', origin: undefined, customHeader: undefined, protocol: 'https', host: 'tickets.example' }

test('reads are never checked', () => {
  for (const method of ['GET', 'HEAD', 'OPTIONS']) assert.equal(csrfProblem({ ...base, method, origin: 'https://evil.example' }), undefined)
})

test('an Origin must be exactly this origin: scheme, host and port, default ports aside', () => {
  for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
    assert.equal(csrfProblem({ ...base, method, origin: 'https://tickets.example' }), undefined)
    assert.match(csrfProblem({ ...base, method, origin: 'https://evil.example' })!, /is not this server's origin/)
  }
  assert.equal(csrfProblem({ ...base, origin: 'https://tickets.example:443' }), undefined)
  assert.equal(csrfProblem({ ...base, host: 'tickets.example:443', origin: 'https://tickets.example' }), undefined)
  assert.ok(csrfProblem({ ...base, origin: 'http://tickets.example' }), 'another scheme')
  assert.ok(csrfProblem({ ...base, origin: 'https://tickets.example:8443' }), 'another port')
  assert.ok(csrfProblem({ ...base, origin: 'https://tickets.example.evil.example' }), 'a longer host')
  assert.ok(csrfProblem({ ...base, origin: 'null' }), 'an opaque origin')
  assert.ok(csrfProblem({ ...base, origin: 'garbage' }), 'unparsable')
  assert.ok(csrfProblem({ ...base, host: '', origin: 'https://tickets.example' }), 'no Host to compare with')
  assert.ok(
    csrfProblem({ ...base, origin: 'https://evil.example', customHeader: '1' }),
    'the custom header does not excuse a foreign Origin',
  )
})

test('without an Origin, X-Boxoffice-Request: 1 is required', () => {
  assert.equal(csrfProblem({ ...base, customHeader: '1' }), undefined)
  assert.match(csrfProblem(base)!, /X-Boxoffice-Request: 1/)
  assert.ok(csrfProblem({ ...base, customHeader: 'true' }))
})
