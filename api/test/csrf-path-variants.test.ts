// The router decodes and normalises a path before it matches a route; the CSRF check and the
// no-store header must not be fooled by another spelling of an /api path.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { SESSION_COOKIE } from '../src/auth/sessions.ts'
import { apiRoutesOf } from './api-routes.ts'
import { buildTestApp, createWithChunks, databaseSnapshot, errorOf, makeTestBatch } from './helper.ts'

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** Other spellings of `path` (which starts with /api/): percent-encoded, doubled slashes, other letter case. */
function spellings(path: string): string[] {
  const rest = path.slice('/api'.length)
  const lastSegment = path.lastIndexOf('/') + 1
  const encodeChar = (text: string, at: number) =>
    text.slice(0, at) + `%${text.charCodeAt(at).toString(16).padStart(2, '0')}` + text.slice(at + 1)
  return [
    `/%61pi${rest}`,
    `/%41PI${rest}`,
    `/a%70%69${rest}`,
    encodeChar(path, lastSegment),
    `//api${rest}`,
    `/api/${rest}`,
    `///api${rest}`,
    `/API${rest}`,
    `/Api${rest}`,
    `/aPi${rest.toUpperCase()}`,
    `/%2561pi${rest}`,
  ]
}

test('every state-changing route, spelled percent-encoded, with doubled slashes or in other case, is refused 403 CSRF_REJECTED from a foreign origin', async (t) => {
  const { routes } = await apiRoutesOf(t)
  const { app, api, token, database } = await buildTestApp(t)
  const batch = await makeTestBatch({ quantity: 100 })
  await createWithChunks(api, batch, [0])
  const before = await databaseSnapshot(database)
  const cookie = `${SESSION_COOKIE}=${token}`

  const changing = routes.filter((route) => STATE_CHANGING.has(route.split(' ')[0]!))
  // Read from the app, so a new route is covered without touching this test.
  assert.ok(changing.includes('POST /api/batches/:id/cancel'))
  assert.ok(changing.length >= 8, changing.join(', '))
  for (const route of changing) {
    const [method, pattern] = route.split(' ') as ['POST' | 'PUT' | 'DELETE', string]
    const path = pattern.replace(/:(\w+)(\([^)]*\))?/g, (_, name: string) => (name === 'id' ? batch.id : '0'))
    for (const url of spellings(path)) {
      for (const [who, headers] of [
        ['a foreign Origin', { cookie, origin: 'https://evil.example' }],
        ['neither Origin nor X-Boxoffice-Request', { cookie }],
      ] as const) {
        const response = await app.inject({ method, url, headers: { ...headers, 'content-type': 'application/json' }, payload: '{}' })
        const said = `${method} ${url} with ${who}: ${response.statusCode} ${response.body.slice(0, 200)}`
        assert.equal(response.statusCode, 403, said)
        assert.equal(errorOf(response).code, 'CSRF_REJECTED', said)
      }
    }
  }
  assert.deepEqual(await databaseSnapshot(database), before)
})

test('an API answer is no-store however its path is spelled', async (t) => {
  const { api } = await buildTestApp(t)
  for (const url of ['/api/batches', ...spellings('/api/batches')]) {
    const response = await api.inject({ method: 'GET', url })
    // A spelling the router does not match is a 404 or the page; one it matches is the API's answer.
    if (String(response.headers['content-type']).startsWith('application/json')) {
      assert.equal(response.headers['cache-control'], 'no-store', `${url}: ${response.statusCode}`)
    }
  }
  const encoded = await api.inject({ method: 'GET', url: '/%61pi/batches' })
  assert.equal(encoded.statusCode, 200)
  assert.equal(encoded.headers['cache-control'], 'no-store')
})
