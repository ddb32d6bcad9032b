import { CSRF_HEADER, CSRF_HEADER_VALUE } from '@boxoffice/tickets'
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { SESSION_COOKIE } from '../src/auth/sessions.ts'
import { buildTestApp, databaseSnapshot, errorOf, makeTestBatch, TEST_PASSWORD } from './helper.ts'

describe('state-changing API requests are refused unless they prove they come from this origin', () => {
  test('a cross-site Origin, a "null" Origin, or neither Origin nor X-Boxoffice-Request: 403 CSRF_REJECTED, nothing stored', async (t) => {
    const { app, token, database } = await buildTestApp(t)
    const batch = await makeTestBatch()
    const before = await databaseSnapshot(database)
    const cookie = `${SESSION_COOKIE}=${token}`
    const forged: [string, Record<string, string>][] = [
      ['another site', { cookie, origin: 'https://evil.example', [CSRF_HEADER]: CSRF_HEADER_VALUE }],
      ['another port of this host', { cookie, origin: 'http://localhost:8080' }],
      ['an opaque origin', { cookie, origin: 'null' }],
      ['no origin and no custom header', { cookie }],
      ['a custom header with another value', { cookie, [CSRF_HEADER]: 'yes' }],
    ]
    for (const [name, headers] of forged) {
      const response = await app.inject({ method: 'POST', url: '/api/batches', headers, payload: batch.body })
      assert.equal(response.statusCode, 403, name)
      assert.equal(errorOf(response).code, 'CSRF_REJECTED', name)
    }
    assert.deepEqual(await databaseSnapshot(database), before)
  })

  test('this origin in Origin is enough (what a browser sends); so is X-Boxoffice-Request: 1 without Origin', async (t) => {
    const { app, token } = await buildTestApp(t)
    const cookie = `${SESSION_COOKIE}=${token}`
    const sameOrigin = await app.inject({
      method: 'POST',
      url: '/api/batches',
      headers: { cookie, host: 'boxoffice.local:3000', origin: 'http://boxoffice.local:3000' },
      payload: (await makeTestBatch()).body,
    })
    assert.equal(sameOrigin.statusCode, 201)
    const defaultPort = await app.inject({
      method: 'POST',
      url: '/api/batches',
      headers: { cookie, host: 'boxoffice.local:80', origin: 'http://boxoffice.local' },
      payload: (await makeTestBatch()).body,
    })
    assert.equal(defaultPort.statusCode, 201)
    const nonBrowser = await app.inject({
      method: 'POST',
      url: '/api/batches',
      headers: { cookie, [CSRF_HEADER]: CSRF_HEADER_VALUE },
      payload: (await makeTestBatch()).body,
    })
    assert.equal(nonBrowser.statusCode, 201)
  })

  test('sign-in and sign-out are protected too; reads are not', async (t) => {
    const { app, token } = await buildTestApp(t)
    const signIn = await app.inject({ method: 'POST', url: '/api/session', payload: { username: 'staff', password: TEST_PASSWORD } })
    assert.equal(errorOf(signIn).code, 'CSRF_REJECTED')
    const cookie = `${SESSION_COOKIE}=${token}`
    const signOut = await app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie, origin: 'https://evil.example' } })
    assert.equal(errorOf(signOut).code, 'CSRF_REJECTED')
    assert.equal((await app.inject({ method: 'GET', url: '/api/batches', headers: { cookie } })).statusCode, 200)
  })
})
