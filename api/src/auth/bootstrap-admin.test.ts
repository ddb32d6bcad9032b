import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import { testStorage } from '../../test/test-database.ts'
import { AccountError } from './accounts.ts'
import { bootstrapAdmin, describeBootstrap } from './bootstrap-admin.ts'
import { verifyPassword } from './password-hash.ts'

const CHEAP = { N: 1024, r: 8, p: 1 }

async function openAccounts(t: TestContext) {
  const storage = await testStorage(t)
  return storage.accounts
}

test('with no account and a password, creates the admin once; later starts leave accounts alone', async (t) => {
  const accounts = await openAccounts(t)
  assert.deepEqual(await bootstrapAdmin(accounts, { username: 'admin', password: 'correct-horse' }, CHEAP), {
    action: 'created',
    username: 'admin',
  })
  const admin = await accounts.findAccount('admin')
  assert.equal(admin?.role, 'admin')
  assert.equal(await verifyPassword('correct-horse', admin!.passwordHash), true)
  const again = await bootstrapAdmin(accounts, { username: 'admin', password: 'another password' }, CHEAP)
  assert.deepEqual(again, { action: 'accounts-exist', passwordIgnored: true })
  assert.equal(await verifyPassword('correct-horse', (await accounts.findAccount('admin'))!.passwordHash), true)
  assert.match(describeBootstrap(again)!.message, /BOXOFFICE_ADMIN_PASSWORD is ignored/)
})

test('with no account and no password, says how to create one', async (t) => {
  const outcome = await bootstrapAdmin(await openAccounts(t), { username: 'admin', password: undefined })
  assert.deepEqual(outcome, { action: 'no-account' })
  const line = describeBootstrap(outcome)!
  assert.equal(line.level, 'warn')
  assert.match(line.message, /pnpm boxoffice user add NAME/)
  assert.match(line.message, /BOXOFFICE_ADMIN_PASSWORD/)
})

test('a password that is too short is refused, and no account is created', async (t) => {
  const accounts = await openAccounts(t)
  await assert.rejects(bootstrapAdmin(accounts, { username: 'admin', password: 'short' }, CHEAP), AccountError)
  assert.equal(await accounts.countAccounts(), 0)
})

test('instances starting at once on an empty database create the admin once, and none of them fails', async (t) => {
  const accounts = await openAccounts(t)
  const outcomes = await Promise.all(
    Array.from({ length: 3 }, () => bootstrapAdmin(accounts, { username: 'admin', password: 'correct-horse' }, CHEAP)),
  )
  assert.equal(outcomes.filter((outcome) => outcome.action === 'created').length, 1)
  assert.equal(outcomes.filter((outcome) => outcome.action === 'accounts-exist').length, 2)
  assert.equal(await accounts.countAccounts(), 1)
})
