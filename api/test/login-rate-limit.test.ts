import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { DEFAULT_LOGIN_LIMITS, type LoginLimits } from '../src/routes/session.ts'
import { addTestAccount, buildTestApp, clientOf, errorOf, inspect, openApp, TEST_PASSWORD, type App } from './helper.ts'

const LIMITS: LoginLimits = {
  perIp: { maxFailures: 4, timeWindowMs: 60_000 },
  perAccount: { maxFailures: 3, timeWindowMs: 60_000 },
}

function signInFrom(app: App, remoteAddress: string, username: string, password: string) {
  return clientOf(app).inject({ method: 'POST', url: '/api/session', remoteAddress, payload: { username, password } })
}

function assertRateLimited(response: Awaited<ReturnType<typeof signInFrom>>, windowSeconds = 60) {
  assert.equal(response.statusCode, 429)
  assert.equal(errorOf(response).code, 'RATE_LIMITED')
  const retryAfter = Number(response.headers['retry-after'])
  assert.ok(retryAfter >= 1 && retryAfter <= windowSeconds, `Retry-After ${response.headers['retry-after']}`)
}

/** Counts the passwords the app checks (each an scrypt computation). */
function countPasswordChecks(app: App): { readonly count: number } {
  const counter = { count: 0 }
  const authenticate = app.passwords.authenticate.bind(app.passwords)
  app.passwords.authenticate = (username, password) => {
    counter.count++
    return authenticate(username, password)
  }
  return counter
}

describe('sign-in rate limits', () => {
  test('40 parallel wrong passwords for one name: at most 5 are checked, the other 35 are 429 before any hashing', async (t) => {
    const { app } = await buildTestApp(t, { loginLimits: DEFAULT_LOGIN_LIMITS })
    await addTestAccount(app, 'alice')
    const checks = countPasswordChecks(app)
    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, i) => signInFrom(app, `10.9.0.${i}`, 'alice', `wrong password ${i}`)),
    )
    const statuses = responses.map((response) => response.statusCode)
    assert.equal(statuses.filter((status) => status === 401).length, 5, statuses.join(' '))
    assert.equal(statuses.filter((status) => status === 429).length, 35)
    assert.equal(checks.count, 5)
    for (const response of responses.filter((response) => response.statusCode === 429)) assertRateLimited(response, 300)
  })

  test('the limit is shared by instances on one database: 40 attempts spread over two still check at most 5', async (t) => {
    const { app, database } = await buildTestApp(t, { loginLimits: DEFAULT_LOGIN_LIMITS })
    const second = await openApp(t, database, { loginLimits: DEFAULT_LOGIN_LIMITS })
    await addTestAccount(app, 'alice')
    const checks = [countPasswordChecks(app), countPasswordChecks(second)]
    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, i) => signInFrom(i % 2 ? second : app, `10.9.1.${i}`, 'alice', 'wrong password')),
    )
    assert.equal(responses.filter((response) => response.statusCode === 401).length, 5)
    assert.equal(responses.filter((response) => response.statusCode === 429).length, 35)
    assert.equal(checks[0]!.count + checks[1]!.count, 5)
    // Neither instance lets the right password through for the locked name meanwhile.
    assertRateLimited(await signInFrom(second, '10.9.2.1', 'alice', TEST_PASSWORD), 300)
  })

  test('per IP: after too many failures, 429 RATE_LIMITED with Retry-After, even with the right password', async (t) => {
    const { app } = await buildTestApp(t, { loginLimits: LIMITS })
    await addTestAccount(app, 'alice')
    // Spread over different usernames, so only the per-IP limit can trip.
    for (let i = 0; i < 4; i++) assert.equal((await signInFrom(app, '10.0.0.1', `user${i}`, 'wrong password')).statusCode, 401)
    assertRateLimited(await signInFrom(app, '10.0.0.1', 'alice', TEST_PASSWORD))
    assert.equal((await signInFrom(app, '10.0.0.2', 'alice', TEST_PASSWORD)).statusCode, 200, 'another address is not limited')
  })

  for (const trustProxy of ['127.0.0.1', 1] as const) {
    test(`behind a proxy trusted as ${JSON.stringify(trustProxy)}, rotating X-Forwarded-For does not escape the per-IP limit`, async (t) => {
      // The proxy at 127.0.0.1 appends the address it saw; whatever the client wrote before that is not believed.
      const { app } = await buildTestApp(t, { loginLimits: LIMITS, trustProxy })
      await addTestAccount(app, 'alice')
      const viaProxy = (forged: string, username: string, password: string) =>
        clientOf(app).inject({
          method: 'POST',
          url: '/api/session',
          remoteAddress: '127.0.0.1',
          headers: { 'x-forwarded-for': `${forged}, 203.0.113.7` },
          payload: { username, password },
        })
      for (let i = 0; i < 4; i++) assert.equal((await viaProxy(`198.51.100.${i}`, `user${i}`, 'wrong password')).statusCode, 401)
      assertRateLimited(await viaProxy('198.51.100.99', 'alice', TEST_PASSWORD))
    })
  }

  test('per account: failures from many addresses lock the name, right password or not; other names are unaffected', async (t) => {
    const { app } = await buildTestApp(t, { loginLimits: LIMITS })
    await addTestAccount(app, 'alice')
    await addTestAccount(app, 'bob')
    for (let i = 0; i < 3; i++) {
      assert.equal((await signInFrom(app, `10.0.1.${i}`, 'alice', 'wrong password')).statusCode, 401)
    }
    assertRateLimited(await signInFrom(app, '10.0.2.1', 'ALICE', TEST_PASSWORD))
    assert.equal((await signInFrom(app, '10.0.2.1', 'bob', TEST_PASSWORD)).statusCode, 200)
  })

  test('per account: an unknown username is limited exactly like a real one, so the limit reveals nothing', async (t) => {
    const { app } = await buildTestApp(t, { loginLimits: LIMITS })
    for (let i = 0; i < 3; i++) assert.equal((await signInFrom(app, `10.0.3.${i}`, 'ghost', 'wrong password')).statusCode, 401)
    assertRateLimited(await signInFrom(app, '10.0.4.1', 'ghost', 'wrong password'))
  })

  test('successful sign-ins count against neither the address nor the account (staff behind one NAT)', async (t) => {
    const { app } = await buildTestApp(t, { loginLimits: LIMITS })
    await addTestAccount(app, 'alice')
    for (let i = 0; i < 12; i++) assert.equal((await signInFrom(app, '10.0.5.1', 'alice', TEST_PASSWORD)).statusCode, 200)
  })
})

describe('sign-in floods: a bounded number of password checks at once', () => {
  test('beyond the running checks and the bounded line, a sign-in is 503 SIGN_IN_BUSY with Retry-After, uncounted, while at most 2 hashes run', async (t) => {
    const limits: LoginLimits = {
      perIp: { maxFailures: 1_000, timeWindowMs: 60_000 },
      perAccount: { maxFailures: 1_000, timeWindowMs: 60_000 },
    }
    const { app, database } = await buildTestApp(t, { loginLimits: limits, signInQueue: { concurrency: 2, maxWaiting: 3 } })
    // Every password check waits at this gate until the test opens it, so that none finishes early.
    let release!: () => void
    const opened = new Promise<void>((resolve) => (release = resolve))
    let running = 0
    let mostAtOnce = 0
    // Waits until the 15 beyond the 2 places and the line of 3 have been answered, or until more
    // checks run at once than the 2 allowed (without a bound all 20 would, and none be answered).
    let answered = 0
    let settled!: () => void
    const arrived = new Promise<void>((resolve) => (settled = resolve))
    const check = () => (answered === 15 || running > 2) && settled()
    const authenticate = app.passwords.authenticate.bind(app.passwords)
    app.passwords.authenticate = async (username, password) => {
      mostAtOnce = Math.max(mostAtOnce, ++running)
      check()
      try {
        await opened
        return await authenticate(username, password)
      } finally {
        running--
      }
    }
    const attemptsBefore = await (await inspect(t, database)).countRows('login_attempts')

    const responses = Array.from({ length: 20 }, (_, i) =>
      signInFrom(app, `10.8.0.${i}`, `flooder${i}`, 'wrong password').then((response) => {
        answered++
        check()
        return response
      }),
    )
    await arrived
    assert.ok(mostAtOnce <= 2, `${mostAtOnce} password checks ran at once`)
    assert.equal(running, 2, 'both places are in use while the rest is refused')
    release()

    const statuses = (await Promise.all(responses)).map((response) => response.statusCode)
    assert.equal(statuses.filter((status) => status === 401).length, 5, statuses.join(' '))
    assert.equal(statuses.filter((status) => status === 503).length, 15, statuses.join(' '))
    for (const response of await Promise.all(responses)) {
      if (response.statusCode !== 503) continue
      assert.equal(errorOf(response).code, 'SIGN_IN_BUSY')
      assert.match(errorOf(response).message, /too many sign-ins/)
      assert.ok(Number(response.headers['retry-after']) >= 1, `Retry-After ${response.headers['retry-after']}`)
    }
    assert.equal(mostAtOnce, 2)
    // Only the five whose password was checked count as failures.
    assert.equal((await (await inspect(t, database)).countRows('login_attempts')) - attemptsBefore, 5 * 2)
    // Once the line is free again, a sign-in with the right password goes through.
    assert.equal((await signInFrom(app, '10.8.1.1', 'staff', TEST_PASSWORD)).statusCode, 200)
  })
})
