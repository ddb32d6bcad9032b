import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import type { AppOptions } from '../src/app.ts'
import { addTestAccount, buildTestApp, clientOf, errorOf, openApp, sessionTokenOf, tempDir, TEST_PASSWORD, testDatabase } from './helper.ts'
import type { TestContext } from 'node:test'

/** An app with one signed-in staff account; the sign-in is addressed as `headers` say (the helper's would be refused). */
async function signedInApp(t: TestContext, options: Partial<AppOptions>, headers: Record<string, string>) {
  const app = await openApp(t, await testDatabase(t), options)
  await addTestAccount(app, 'staff')
  const response = await clientOf(app).inject({
    method: 'POST',
    url: '/api/session',
    headers,
    payload: { username: 'staff', password: TEST_PASSWORD },
  })
  assert.equal(response.statusCode, 200, response.body)
  const token = sessionTokenOf(response) ?? response.cookies.find((cookie) => cookie.name === '__Host-boxoffice_session')!.value
  return { api: clientOf(app, token), token, app }
}

test('with BOXOFFICE_PUBLIC_ORIGIN set, a request addressed to another host is 421 WRONG_HOST naming the expected origin', async (t) => {
  const dist = tempDir(t)
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Boxoffice app</title>')
  const { api } = await signedInApp(t, { publicOrigin: 'http://boxoffice.lan:3000', webDist: dist }, { host: 'boxoffice.lan:3000' })
  // What a DNS-rebinding page sends: its own name, now resolving to this server, in Host.
  for (const host of ['evil.example', 'evil.example:3000', '192.168.1.20:3000', 'boxoffice.lan', 'boxoffice.lan:3001']) {
    for (const [method, url] of [
      ['GET', '/api/batches'],
      ['GET', '/'],
      ['POST', '/api/batches'],
      ['GET', '/api/session'],
    ] as const) {
      const response = await api.inject({
        method,
        url,
        headers: { host, origin: `http://${host}` },
        payload: method === 'POST' ? {} : undefined,
      })
      const said = `${method} ${url} to ${host}: ${response.statusCode} ${response.body.slice(0, 200)}`
      assert.equal(response.statusCode, 421, said)
      assert.equal(errorOf(response).code, 'WRONG_HOST', said)
      assert.match(errorOf(response).message, /this server answers only as http:\/\/boxoffice\.lan:3000/, said)
      assert.deepEqual(errorOf(response).details, { expectedOrigin: 'http://boxoffice.lan:3000' }, said)
    }
  }
  const own = { host: 'boxoffice.lan:3000' }
  assert.equal((await api.inject({ method: 'GET', url: '/api/batches', headers: own })).statusCode, 200)
  assert.equal((await api.inject({ method: 'GET', url: '/', headers: own })).statusCode, 200)
  // A health check from a load balancer or a container probe may use any name.
  assert.equal((await api.inject({ method: 'GET', url: '/api/health', headers: { host: '10.0.0.5:3000' } })).statusCode, 200)
})

test('behind a trusted proxy the forwarded scheme and host are what must match', async (t) => {
  const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'tickets.example.org' }
  const { app, token } = await signedInApp(t, { publicOrigin: 'https://tickets.example.org', trustProxy: '127.0.0.1' }, forwarded)
  const via = (headers: Record<string, string>) =>
    app.inject({
      method: 'GET',
      url: '/api/batches',
      headers: { host: '127.0.0.1:3000', cookie: `__Host-boxoffice_session=${token}`, ...headers },
    })
  assert.equal((await via({ 'x-forwarded-proto': 'https', 'x-forwarded-host': 'tickets.example.org' })).statusCode, 200)
  assert.equal((await via({ 'x-forwarded-proto': 'https', 'x-forwarded-host': 'tickets.example.org:443' })).statusCode, 200)
  assert.equal(errorOf(await via({ 'x-forwarded-proto': 'http', 'x-forwarded-host': 'tickets.example.org' })).code, 'WRONG_HOST')
  assert.equal(errorOf(await via({ 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example' })).code, 'WRONG_HOST')
  assert.equal(errorOf(await via({})).code, 'WRONG_HOST')
})

test('without BOXOFFICE_PUBLIC_ORIGIN any Host is served (a server on localhost or a LAN address)', async (t) => {
  const { api } = await buildTestApp(t)
  assert.equal((await api.inject({ method: 'GET', url: '/api/batches', headers: { host: 'whatever.example' } })).statusCode, 200)
})
