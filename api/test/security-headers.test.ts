import assert from 'node:assert/strict'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { buildTestApp, clientOf, tempDir } from './helper.ts'

const CSP =
  "default-src 'self';script-src 'self';worker-src 'self';style-src 'self';img-src 'self' data: blob:;" +
  "connect-src 'self';object-src 'none';base-uri 'self';frame-ancestors 'none';form-action 'self'"

// The camera for the check-in scanner, on this origin only; every other powerful feature denied.
const PERMISSIONS_POLICY =
  'camera=(self), microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=(), midi=(), ' +
  'accelerometer=(), gyroscope=(), magnetometer=(), display-capture=(), screen-wake-lock=(), xr-spatial-tracking=(), ' +
  'publickey-credentials-get=(), browsing-topics=()'

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
    assert.equal(response.headers['permissions-policy'], PERMISSIONS_POLICY, name)
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

test('no source map is served: a request for a .map file is 404, however it is spelled, even when the file exists', async (t) => {
  const dist = tempDir(t)
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Boxoffice app</title>')
  mkdirSync(join(dist, 'assets'))
  writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log(1)')
  writeFileSync(join(dist, 'assets', 'index-abc123.js.map'), '{"version":3,"sources":["../src/main.ts"]}')
  const { api } = await buildTestApp(t, { webDist: dist })
  assert.equal((await api.inject({ method: 'GET', url: '/assets/index-abc123.js' })).statusCode, 200)
  for (const url of [
    '/assets/index-abc123.js.map',
    '/assets/index-abc123.js.MAP',
    '/assets/index-abc123.js.%6Dap',
    '/assets/index-abc123.js.map?v=1',
    '/assets/missing.js.map',
  ]) {
    for (const method of ['GET', 'HEAD'] as const) {
      const response = await api.inject({ method, url })
      assert.equal(response.statusCode, 404, `${method} ${url}`)
      assert.ok(!response.body.includes('sources'), `${method} ${url}`)
    }
  }
})
