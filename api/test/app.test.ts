import assert from 'node:assert/strict'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import type { TicketRepository } from '../src/db/ticket-repository.ts'
import { buildTestApp, errorOf, makeTestBatch, tempDir } from './helper.ts'

describe('health', () => {
  test('GET /api/health answers ok for the app and its database', async (t) => {
    const { api } = await buildTestApp(t)
    const response = await api.inject({ method: 'GET', url: '/api/health' })
    assert.equal(response.statusCode, 200)
    assert.deepEqual(response.json(), { status: 'ok', database: 'ok' })
  })

  // Storage faults the repository recognises are 503s: test/storage-faults.test.ts.
  test('an unexpected database failure gives a 500 INTERNAL_ERROR whose body hides the cause', async (t) => {
    const { app, api } = await buildTestApp(t)
    const repository: TicketRepository = app.repository
    repository.ping = async () => {
      throw new TypeError('cannot read the statement cache at /secret/path')
    }
    const response = await api.inject({ method: 'GET', url: '/api/health' })
    assert.equal(response.statusCode, 500)
    assert.deepEqual(response.json(), { error: { code: 'INTERNAL_ERROR', message: 'internal server error' } })
  })
})

describe('routing', () => {
  test('an unknown /api route is a 404 ROUTE_NOT_FOUND JSON error, for any method', async (t) => {
    const { api } = await buildTestApp(t)
    for (const method of ['GET', 'POST', 'DELETE'] as const) {
      const response = await api.inject({ method, url: '/api/nothing/here?x=1' })
      assert.equal(response.statusCode, 404)
      assert.match(response.headers['content-type'] as string, /^application\/json/)
      assert.deepEqual(errorOf(response), { code: 'ROUTE_NOT_FOUND', message: `no route for ${method} /api/nothing/here` })
    }
  })

  test('a URL with bad percent-encoding is a 400 INVALID_REQUEST in the API error shape', async (t) => {
    const { api } = await buildTestApp(t)
    const response = await api.inject({ method: 'GET', url: '/api/batches/%E0%A4%A' })
    assert.equal(response.statusCode, 400)
    assert.equal(errorOf(response).code, 'INVALID_REQUEST')
  })

  test('without a built web app, / serves an HTML page saying so', async (t) => {
    const { api } = await buildTestApp(t, { webDist: join(tempDir(t), 'missing') })
    const response = await api.inject({ method: 'GET', url: '/' })
    assert.equal(response.statusCode, 200)
    assert.match(response.headers['content-type'] as string, /^text\/html/)
    assert.match(response.body, /web app is not built/)
  })

  test('with a built web app, files are served and other page paths fall back to index.html', async (t) => {
    const dist = tempDir(t)
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Boxoffice app</title>')
    mkdirSync(join(dist, 'assets'))
    writeFileSync(join(dist, 'assets', 'app.js'), 'console.log("hi")')
    const { api } = await buildTestApp(t, { webDist: dist })

    const root = await api.inject({ method: 'GET', url: '/' })
    assert.equal(root.statusCode, 200)
    assert.match(root.body, /Boxoffice app/)
    const asset = await api.inject({ method: 'GET', url: '/assets/app.js' })
    assert.equal(asset.body, 'console.log("hi")')
    const page = await api.inject({ method: 'GET', url: '/batches/123' })
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /Boxoffice app/)
    const apiRoute = await api.inject({ method: 'GET', url: '/api/nothing' })
    assert.equal(apiRoute.statusCode, 404)
    assert.equal(errorOf(apiRoute).code, 'ROUTE_NOT_FOUND')
  })
})

describe('request limits', () => {
  test('a body over the 4 KiB default limit is 413 BODY_TOO_LARGE', async (t) => {
    const { api } = await buildTestApp(t)
    const batch = await makeTestBatch()
    const response = await api.inject({
      method: 'POST',
      url: '/api/batches',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ ...batch.body, event: 'x'.repeat(4 * 1024) }),
    })
    assert.equal(response.statusCode, 413)
    assert.equal(errorOf(response).code, 'BODY_TOO_LARGE')
  })

  test('malformed JSON and empty JSON bodies on a route that needs a body are 400 MALFORMED_JSON', async (t) => {
    const { api } = await buildTestApp(t)
    for (const payload of ['{"id":', '']) {
      const response = await api.inject({
        method: 'POST',
        url: '/api/batches',
        headers: { 'content-type': 'application/json' },
        payload,
      })
      assert.equal(response.statusCode, 400)
      assert.equal(errorOf(response).code, 'MALFORMED_JSON')
    }
  })

  test('a JSON body with a __proto__ key is refused, not merged', async (t) => {
    const { api } = await buildTestApp(t)
    const response = await api.inject({
      method: 'POST',
      url: '/api/batches',
      headers: { 'content-type': 'application/json' },
      payload: '{"__proto__": {"admin": true}}',
    })
    assert.equal(response.statusCode, 400)
    assert.equal(errorOf(response).code, 'MALFORMED_JSON')
  })

  test('a form-encoded body is 415 UNSUPPORTED_MEDIA_TYPE', async (t) => {
    const { api } = await buildTestApp(t)
    const response = await api.inject({
      method: 'POST',
      url: '/api/batches',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'id=1',
    })
    assert.equal(response.statusCode, 415)
    assert.equal(errorOf(response).code, 'UNSUPPORTED_MEDIA_TYPE')
    const list = await api.inject({ method: 'GET', url: '/api/batches' })
    assert.deepEqual(list.json().batches, [])
  })
})
