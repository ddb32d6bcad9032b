import crypto from 'node:crypto'
import { syncBuiltinESMExports } from 'node:module'
import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import { testStorage } from '../../test/test-database.ts'
import { AccountError, addAccount, PasswordChecker } from './accounts.ts'

const CHEAP = { N: 1024, r: 8, p: 1 }

async function openAccounts(t: TestContext) {
  const storage = await testStorage(t)
  return storage.accounts
}

test('the first account is an admin and later ones staff, unless a role is given; names are stored in lower case', async (t) => {
  const accounts = await openAccounts(t)
  const first = await addAccount(accounts, { username: ' Alice ', password: 'long enough', scrypt: CHEAP })
  const second = await addAccount(accounts, { username: 'bob', password: 'long enough', scrypt: CHEAP })
  const third = await addAccount(accounts, { username: 'carol', password: 'long enough', role: 'admin', scrypt: CHEAP })
  assert.deepEqual(
    [first, second, third].map((a) => [a.username, a.role]),
    [
      ['alice', 'admin'],
      ['bob', 'staff'],
      ['carol', 'admin'],
    ],
  )
  assert.doesNotMatch(first.passwordHash, /long enough/)
})

test('a short password, a bad name or a taken name is refused with a message for people', async (t) => {
  const accounts = await openAccounts(t)
  await addAccount(accounts, { username: 'alice', password: 'long enough', scrypt: CHEAP })
  const refusals: [Parameters<typeof addAccount>[1], RegExp][] = [
    [{ username: 'bob', password: 'short' }, /^password must be at least 8 characters \(got 5\)$/],
    [{ username: 'ALICE', password: 'long enough' }, /^an account named "alice" already exists$/],
    [{ username: 'bob smith', password: 'long enough' }, /^username "bob smith" must be 1–64 characters of a–z/],
    [{ username: '', password: 'long enough' }, /^username "" must be/],
  ]
  for (const [request, message] of refusals) {
    await assert.rejects(addAccount(accounts, { ...request, scrypt: CHEAP }), (error: Error) => {
      assert.ok(error instanceof AccountError)
      assert.match(error.message, message)
      return true
    })
  }
  assert.equal(await accounts.countAccounts(), 1)
})

test('authenticate says why internally, and checks a password for unknown and disabled accounts too', async (t) => {
  const accounts = await openAccounts(t)
  const checker = new PasswordChecker(accounts, CHEAP)
  await addAccount(accounts, { username: 'alice', password: 'long enough', scrypt: CHEAP })
  await addAccount(accounts, { username: 'bob', password: 'long enough', scrypt: CHEAP })
  await accounts.disableAccount('bob', new Date().toISOString())
  assert.equal((await checker.authenticate('ALICE', 'long enough')).ok, true)
  assert.deepEqual(await checker.authenticate('alice', 'wrong one'), { ok: false, reason: 'wrong-password', username: 'alice' })
  assert.deepEqual(await checker.authenticate('nobody', 'long enough'), { ok: false, reason: 'unknown-user', username: 'nobody' })
  assert.deepEqual(await checker.authenticate('bob', 'long enough'), { ok: false, reason: 'disabled', username: 'bob' })
  assert.deepEqual(await checker.authenticate('bob', 'wrong one'), { ok: false, reason: 'wrong-password', username: 'bob' })
})

test('an unknown username costs a full password hash, like a known one', async (t) => {
  const accounts = await openAccounts(t)
  const params = { N: 2 ** 10, r: 8, p: 1 }
  const checker = new PasswordChecker(accounts, params)
  await addAccount(accounts, { username: 'alice', password: 'long enough', scrypt: params })
  await checker.authenticate('alice', 'warm up the dummy hash')
  // Count the scrypt runs rather than time them: a timing threshold breaks on a busy machine.
  const scryptRuns = t.mock.method(crypto, 'scrypt')
  syncBuiltinESMExports()
  t.after(() => {
    scryptRuns.mock.restore()
    syncBuiltinESMExports()
  })
  await checker.authenticate('alice', 'wrong password')
  const forKnown = scryptRuns.mock.callCount()
  await checker.authenticate('nobody', 'wrong password')
  const forUnknown = scryptRuns.mock.callCount() - forKnown
  assert.equal(forKnown, 1)
  assert.equal(forUnknown, forKnown, 'an unknown username runs scrypt as often as a known one')
})
