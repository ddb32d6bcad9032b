import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { hashSessionToken, SESSION_COOKIE } from '../src/auth/sessions.ts'
import {
  addTestAccount,
  buildTestApp,
  clientOf,
  createBatch,
  errorOf,
  makeTestBatch,
  openApp,
  putChunk,
  sessionTokenOf,
  signIn,
  inspect,
  testDatabase,
  TEST_PASSWORD,
  type App,
} from './helper.ts'

function attemptSignIn(app: App, username: string, password: string, headers: Record<string, string> = {}) {
  return clientOf(app).inject({ method: 'POST', url: '/api/session', payload: { username, password }, headers })
}

async function whoAmI(app: App, token: string) {
  return clientOf(app, token).inject({ method: 'GET', url: '/api/session' })
}

describe('POST /api/session (sign in)', () => {
  test('answers the account and sets an HttpOnly, SameSite=Strict session cookie for the whole site', async (t) => {
    const { app } = await buildTestApp(t)
    await addTestAccount(app, 'alice', 'admin')
    const response = await attemptSignIn(app, 'alice', TEST_PASSWORD)
    assert.equal(response.statusCode, 200)
    assert.deepEqual(response.json(), { username: 'alice', role: 'admin', mustChangePassword: false })
    const cookie = response.cookies.find((c) => c.name === SESSION_COOKIE)!
    assert.match(cookie.value, /^[A-Za-z0-9_-]{43}$/, '32 random bytes')
    assert.equal(cookie.httpOnly, true)
    assert.equal(cookie.sameSite, 'Strict')
    assert.equal(cookie.path, '/')
    assert.equal(cookie.secure, undefined, 'not Secure over plain HTTP')
    assert.ok(cookie.expires instanceof Date && cookie.expires.getTime() > Date.now() + 11 * 3_600_000, 'the 12 h default')
    assert.deepEqual((await whoAmI(app, cookie.value)).json(), { username: 'alice', role: 'admin', mustChangePassword: false })
  })

  test('over HTTPS (through a trusted proxy) the cookie is __Host-boxoffice_session: Secure, Path=/, no Domain; only that name is read there', async (t) => {
    const app = await openApp(t, await testDatabase(t), { trustProxy: '127.0.0.1' })
    await addTestAccount(app, 'alice')
    const https = { 'x-forwarded-proto': 'https' }
    // A plain-HTTP cookie the browser still holds from before is dropped at sign-in.
    const response = await attemptSignIn(app, 'alice', TEST_PASSWORD, { ...https, cookie: `boxoffice_session=${'x'.repeat(43)}` })
    assert.equal(response.statusCode, 200)
    const cookie = response.cookies.find((c) => c.name === '__Host-boxoffice_session')
    assert.ok(cookie, `Set-Cookie: ${JSON.stringify(response.headers['set-cookie'])}`)
    assert.equal(cookie.secure, true)
    assert.equal(cookie.path, '/')
    assert.equal(cookie.domain, undefined)
    const oldName = response.cookies.find((c) => c.name === 'boxoffice_session')
    assert.ok(oldName && oldName.value === '' && oldName.expires!.getTime() < Date.now(), 'the old cookie is cleared')

    const ask = (cookieHeader: string) =>
      clientOf(app).inject({ method: 'GET', url: '/api/session', headers: { ...https, cookie: cookieHeader } })
    assert.equal((await ask(`__Host-boxoffice_session=${cookie.value}`)).statusCode, 200)
    // A cookie without the prefix could have been set by another subdomain or over plain HTTP: not read over HTTPS.
    const unprefixed = await ask(`boxoffice_session=${cookie.value}`)
    assert.equal(unprefixed.statusCode, 401)
    assert.equal(errorOf(unprefixed).code, 'AUTH_REQUIRED')

    const signOut = await clientOf(app).inject({
      method: 'DELETE',
      url: '/api/session',
      headers: { ...https, cookie: `__Host-boxoffice_session=${cookie.value}` },
    })
    assert.equal(signOut.statusCode, 204)
    const cleared = signOut.cookies.find((c) => c.name === '__Host-boxoffice_session')!
    assert.equal(cleared.value, '')
    assert.equal(cleared.secure, true)
    assert.equal((await ask(`__Host-boxoffice_session=${cookie.value}`)).statusCode, 401)
  })

  test('usernames are case-insensitive', async (t) => {
    const { app } = await buildTestApp(t)
    await addTestAccount(app, 'Alice')
    const response = await attemptSignIn(app, ' ALICE ', TEST_PASSWORD)
    assert.equal(response.statusCode, 200)
    assert.equal(response.json().username, 'alice')
  })

  test('a wrong password, an unknown user and a disabled account get the same 401 INVALID_CREDENTIALS and no cookie', async (t) => {
    const { app } = await buildTestApp(t)
    await addTestAccount(app, 'alice')
    await addTestAccount(app, 'bob')
    await app.accounts.disableAccount('bob', new Date().toISOString())
    const answers = [
      await attemptSignIn(app, 'alice', 'not the password'),
      await attemptSignIn(app, 'nobody', TEST_PASSWORD),
      await attemptSignIn(app, 'bob', TEST_PASSWORD),
    ]
    for (const response of answers) {
      assert.equal(response.statusCode, 401)
      assert.equal(sessionTokenOf(response), undefined)
    }
    assert.deepEqual(new Set(answers.map((response) => response.body)), new Set([answers[0]!.body]))
    assert.deepEqual(errorOf(answers[0]!), { code: 'INVALID_CREDENTIALS', message: 'wrong username or password' })
  })

  test('a body that is not {username, password} is 400 INVALID_REQUEST', async (t) => {
    const { app } = await buildTestApp(t)
    const response = await clientOf(app).inject({ method: 'POST', url: '/api/session', payload: { username: 'alice' } })
    assert.equal(response.statusCode, 400)
    assert.equal(errorOf(response).code, 'INVALID_REQUEST')
  })

  test('stores only the SHA-256 of the session token, with ISO 8601 times', async (t) => {
    const { token, database } = await buildTestApp(t)
    const db = await inspect(t, database)
    const rows = await db.sessions()
    assert.equal(rows.length, 1)
    assert.equal(rows[0]!.tokenHash, hashSessionToken(token))
    assert.ok(!JSON.stringify(rows).includes(token))
    assert.match(rows[0]!.expiresAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    const passwordHash = (await db.storage.accounts.findAccount('staff'))!.passwordHash
    assert.match(passwordHash, /^scrypt\$1024\$8\$1\$[\w-]+\$[\w-]{43}$/)
    assert.ok(!passwordHash.includes(TEST_PASSWORD))
  })
})

describe('GET /api/session and sessions that end', () => {
  test('a session whose expires_at has passed is 401 SESSION_EXPIRED, and its row is removed', async (t) => {
    const { api, database } = await buildTestApp(t, { sessionTtlHours: 1 })
    assert.equal((await api.inject({ method: 'GET', url: '/api/batches' })).statusCode, 200)
    // What an end-to-end test does to expire a session.
    const db = await inspect(t, database)
    await db.setSessionTimes({ expiresAt: '2000-01-01T00:00:00.000Z' })
    const response = await api.inject({ method: 'GET', url: '/api/batches' })
    assert.equal(response.statusCode, 401)
    assert.equal(errorOf(response).code, 'SESSION_EXPIRED')
    assert.equal(await db.countRows('sessions'), 0)
  })

  test('a session expires by itself after the configured time', async (t) => {
    const { api } = await buildTestApp(t, { sessionTtlHours: 0.2 / 3600 }) // 200 ms
    assert.equal((await api.inject({ method: 'GET', url: '/api/session' })).statusCode, 200)
    await new Promise((resolve) => setTimeout(resolve, 250))
    assert.equal(errorOf(await api.inject({ method: 'GET', url: '/api/session' })).code, 'SESSION_EXPIRED')
  })

  test('DELETE /api/session signs out: the row goes, the cookie is cleared, and the old cookie is refused', async (t) => {
    const { app, api, database } = await buildTestApp(t)
    const response = await api.inject({ method: 'DELETE', url: '/api/session' })
    assert.equal(response.statusCode, 204)
    const cleared = response.cookies.find((c) => c.name === SESSION_COOKIE)!
    assert.equal(cleared.value, '')
    assert.ok(cleared.expires!.getTime() <= Date.now())
    assert.equal(await (await inspect(t, database)).countRows('sessions'), 0)
    assert.equal(errorOf(await api.inject({ method: 'GET', url: '/api/batches' })).code, 'SESSION_EXPIRED')
    // Signing out again, or without any session, still succeeds.
    assert.equal((await api.inject({ method: 'DELETE', url: '/api/session' })).statusCode, 204)
    assert.equal((await clientOf(app).inject({ method: 'DELETE', url: '/api/session' })).statusCode, 204)
  })

  test('disabling an account ends its sessions at once and refuses it from then on', async (t) => {
    const { app, api } = await buildTestApp(t)
    await addTestAccount(app, 'bob')
    const bob = await signIn(app, 'bob')
    await app.accounts.disableAccount('staff', new Date().toISOString())
    assert.equal(errorOf(await api.inject({ method: 'GET', url: '/api/batches' })).code, 'SESSION_EXPIRED')
    assert.equal(errorOf(await attemptSignIn(app, 'staff', TEST_PASSWORD)).code, 'INVALID_CREDENTIALS')
    assert.equal((await bob.api.inject({ method: 'GET', url: '/api/batches' })).statusCode, 200, 'other accounts are unaffected')
  })

  test('signing in again replaces the session the request carried', async (t) => {
    const { app, token } = await buildTestApp(t)
    const again = await clientOf(app, token).inject({
      method: 'POST',
      url: '/api/session',
      payload: { username: 'staff', password: TEST_PASSWORD },
    })
    assert.equal(again.statusCode, 200)
    assert.notEqual(sessionTokenOf(again), token)
    assert.equal(errorOf(await whoAmI(app, token)).code, 'SESSION_EXPIRED')
    assert.equal((await whoAmI(app, sessionTokenOf(again)!)).statusCode, 200)
  })
})

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString()

describe('idle sessions', () => {
  test('a session not used for BOXOFFICE_SESSION_IDLE_MINUTES (default 60) is 401 SESSION_EXPIRED, and its row is removed', async (t) => {
    const { api, token, database } = await buildTestApp(t)
    const db = await inspect(t, database)
    await db.setSessionTimes({ lastSeen: minutesAgo(61) }, hashSessionToken(token))
    const response = await api.inject({ method: 'GET', url: '/api/batches' })
    assert.equal(response.statusCode, 401)
    assert.equal(errorOf(response).code, 'SESSION_EXPIRED')
    assert.equal(await db.countRows('sessions'), 0)
  })

  test('the idle time is configurable: with 30 minutes, 31 minutes idle ends the session', async (t) => {
    const { api, token, database } = await buildTestApp(t, { sessionIdleMinutes: 30 })
    const db = await inspect(t, database)
    await db.setSessionTimes({ lastSeen: minutesAgo(29) }, hashSessionToken(token))
    assert.equal((await api.inject({ method: 'GET', url: '/api/session' })).statusCode, 200)
    await db.setSessionTimes({ lastSeen: minutesAgo(31) }, hashSessionToken(token))
    assert.equal(errorOf(await api.inject({ method: 'GET', url: '/api/session' })).code, 'SESSION_EXPIRED')
  })

  test('an upload keeps the session seen: a box office generating tickets for hours without a click stays signed in', async (t) => {
    const { api, token, database } = await buildTestApp(t)
    const db = await inspect(t, database)
    const batch = await makeTestBatch({ quantity: 150 })
    assert.equal((await createBatch(api, batch.body)).statusCode, 201)
    for (const index of [0, 1, 2]) {
      // Each chunk arrives 59 minutes after the session was last seen: never idle for an hour.
      await db.setSessionTimes({ lastSeen: minutesAgo(59) }, hashSessionToken(token))
      assert.equal((await putChunk(api, batch.id, index, await batch.chunk(index))).statusCode, 200, `chunk ${index}`)
      const [session] = await db.sessions()
      assert.ok(Date.now() - Date.parse(session!.lastSeen) < 60_000, 'the upload was recorded as use')
    }
  })

  test('signing in clears out sessions that have been idle too long, not only expired ones', async (t) => {
    const { app, token, database } = await buildTestApp(t)
    const db = await inspect(t, database)
    await db.setSessionTimes({ lastSeen: minutesAgo(61) }, hashSessionToken(token))
    await signIn(app, 'staff')
    const sessions = await db.sessions()
    assert.equal(sessions.length, 1)
    assert.notEqual(sessions[0]!.tokenHash, hashSessionToken(token))
  })
})

describe('DELETE /api/sessions (sign out everywhere)', () => {
  test("ends every session of the signed-in account, on every instance, clears the cookie, and leaves other accounts' sessions", async (t) => {
    const { app, api, database } = await buildTestApp(t)
    const second = await openApp(t, database)
    const laptop = await signIn(second, 'staff')
    await addTestAccount(app, 'bob')
    const bob = await signIn(app, 'bob')

    const response = await api.inject({ method: 'DELETE', url: '/api/sessions' })
    assert.equal(response.statusCode, 204)
    const cleared = response.cookies.find((c) => c.name === SESSION_COOKIE)!
    assert.equal(cleared.value, '')
    assert.equal(errorOf(await api.inject({ method: 'GET', url: '/api/session' })).code, 'SESSION_EXPIRED')
    assert.equal(errorOf(await laptop.api.inject({ method: 'GET', url: '/api/session' })).code, 'SESSION_EXPIRED', 'the other instance too')
    assert.equal((await bob.api.inject({ method: 'GET', url: '/api/session' })).statusCode, 200)
    assert.equal(await (await inspect(t, database)).countRows('sessions'), 1)
  })

  test('needs a live session: without one it is 401 and ends nothing', async (t) => {
    const { app, database } = await buildTestApp(t)
    const none = await clientOf(app).inject({ method: 'DELETE', url: '/api/sessions' })
    assert.equal(none.statusCode, 401)
    assert.equal(errorOf(none).code, 'AUTH_REQUIRED')
    const stale = await clientOf(app, 'x'.repeat(43)).inject({ method: 'DELETE', url: '/api/sessions' })
    assert.equal(errorOf(stale).code, 'SESSION_EXPIRED')
    assert.equal(await (await inspect(t, database)).countRows('sessions'), 1)
  })
})
