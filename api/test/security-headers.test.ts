import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { buildTestApp, clientOf, tempDir } from './helper.ts'

const CSP =
  "default-src 'self';script-src 'self';worker-src 'self';style-src 'self';img-src 'self' data: blob:;" +
  "connect-src 'self';object-src 'none';base-uri 'self';frame-ancestors 'none';form-action 'self'"

test('pages, API answers and refusals all carry the strict Content-Security-Policy and helmet headers', async (t) => {
  const dist = tempDir(t)
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Boxoffice app</title>')
  const { app, api } = await buildTestApp(t, { webDist: dist })
  const responses = {
    page: await api.inject({ method: 'GET', url: '/' }),
    fallback: await api.inject({ method: 'GET', url: '/batches/1' }),
    health: await api.inject({ method: 'GET', url: '/api/health' }),
    list: await api.inject({ method: 'GET', url: '/api/batches' }),
    unauthenticated: await clientOf(app).inject({ method: 'GET', url: '/api/batches' }),
    csrfRefusal: await app.inject({ method: 'POST', url: '/api/batches', payload: {} }),
  }
  for (const [name, response] of Object.entries(responses)) {
    assert.equal(response.headers['content-security-policy'], CSP, name)
    assert.equal(response.headers['x-content-type-options'], 'nosniff', name)
    assert.equal(response.headers['x-frame-options'], 'SAMEORIGIN', name)
    assert.equal(response.headers['referrer-policy'], 'no-referrer', name)
    assert.equal(response.headers['cross-origin-opener-policy'], 'same-origin', name)
  }
  assert.equal(responses.unauthenticated.statusCode, 401)
  assert.equal(responses.csrfRefusal.statusCode, 403)
})

test('API answers are never cached; the web app files may be', async (t) => {
  const dist = tempDir(t)
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Boxoffice app</title>')
  const { api } = await buildTestApp(t, { webDist: dist })
  assert.equal((await api.inject({ method: 'GET', url: '/api/batches' })).headers['cache-control'], 'no-store')
  assert.equal((await api.inject({ method: 'GET', url: '/api/nothing' })).headers['cache-control'], 'no-store')
  assert.notEqual((await api.inject({ method: 'GET', url: '/' })).headers['cache-control'], 'no-store')
})
