import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { LoginLimits } from '../src/routes/session.ts'
import { addTestAccount, buildTestApp, clientOf, errorOf, TEST_PASSWORD, type App } from './helper.ts'

const LIMITS: LoginLimits = {
  perIp: { maxFailures: 4, timeWindowMs: 60_000 },
  perAccount: { maxFailures: 3, timeWindowMs: 60_000 },
}

function signInFrom(app: App, remoteAddress: string, username: string, password: string) {
  return clientOf(app).inject({ method: 'POST', url: '/api/session', remoteAddress, payload: { username, password } })
}

function assertRateLimited(response: Awaited<ReturnType<typeof signInFrom>>) {
  assert.equal(response.statusCode, 429)
  assert.equal(errorOf(response).code, 'RATE_LIMITED')
  const retryAfter = Number(response.headers['retry-after'])
  assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${response.headers['retry-after']}`)
}

describe('sign-in rate limits', () => {
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
        clientOf(app).inject({ method: 'POST', url: '/api/session', remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': `${forged}, 203.0.113.7` }, payload: { username, password } })
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
