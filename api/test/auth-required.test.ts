import { CSRF_HEADER, CSRF_HEADER_VALUE } from '@boxoffice/tickets'
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { SESSION_COOKIE } from '../src/auth/sessions.ts'
import { apiRoutesOf } from './api-routes.ts'
import { errorOf } from './helper.ts'

const OPEN_ROUTES = new Set(['GET /api/health', 'HEAD /api/health', 'POST /api/session', 'DELETE /api/session'])

/** The route's path with each parameter (`:id`, `:index`, `:first(^\\d+)`, …) filled in. */
function sampleUrl(url: string): string {
  return url.replace(/:(\w+)(\([^)]*\))?/g, (_, name: string) => (name === 'id' ? crypto.randomUUID() : '0'))
}

test('every /api route but health, sign-in and sign-out answers 401 without a session, before reading the body', async (t) => {
  const { app, routes } = await apiRoutesOf(t)
  const guarded = routes.filter((route) => !OPEN_ROUTES.has(route))
  // The list comes from the app itself, so a new route cannot be forgotten here.
  for (const route of [
    'GET /api/batches',
    'POST /api/batches',
    'GET /api/batches/:id',
    'PUT /api/batches/:id/chunks/:index',
    'POST /api/batches/:id/complete',
    'POST /api/batches/:id/cancel',
    'POST /api/tokens/verify',
    'GET /api/session',
  ]) {
    assert.ok(guarded.includes(route), `${route} is guarded`)
  }
  for (const route of guarded) {
    const [method, url] = route.split(' ') as ['GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE', string]
    const headers = { [CSRF_HEADER]: CSRF_HEADER_VALUE, 'content-type': 'application/json' }
    // A body that would fail every schema: the 401 must come first.
    const response = await app.inject({ method, url: sampleUrl(url), headers, payload: '{"not":"valid"' })
    assert.equal(response.statusCode, 401, route)
    if (method !== 'HEAD') assert.equal(errorOf(response).code, 'AUTH_REQUIRED', route)

    const stale = await app.inject({ method, url: sampleUrl(url), headers: { ...headers, cookie: `${SESSION_COOKIE}=${'x'.repeat(43)}` } })
    assert.equal(stale.statusCode, 401, route)
    if (method !== 'HEAD') assert.equal(errorOf(stale).code, 'SESSION_EXPIRED', route)
  }
})

test('health and sign-in answer without a session', async (t) => {
  const { app } = await apiRoutesOf(t)
  assert.equal((await app.inject({ method: 'GET', url: '/api/health' })).statusCode, 200)
  const signIn = await app.inject({
    method: 'POST',
    url: '/api/session',
    headers: { [CSRF_HEADER]: CSRF_HEADER_VALUE },
    payload: { username: 'nobody', password: 'whatever it is' },
  })
  assert.equal(signIn.statusCode, 401)
  assert.equal(errorOf(signIn).code, 'INVALID_CREDENTIALS')
})
