import assert from 'node:assert/strict'
import { userInfo } from 'node:os'
import { test } from 'node:test'
import { testStorage } from '../../test/test-database.ts'
import type { Storage } from '../db/storage.ts'
import { AccountError } from './accounts.ts'
import { bootstrapAdmin, describeBootstrap } from './bootstrap-admin.ts'
import { verifyPassword } from './password-hash.ts'

const CHEAP = { N: 1024, r: 8, p: 1 }

/** What the audit log holds, as action, subject, actor and device. */
async function auditEntries(audit: Storage['audit']) {
  return (await audit.list({ limit: 100 })).map(({ action, subject, actor, device }) => ({ action, subject, actor, device }))
}

test('with no account and a password, creates the admin once, in the audit log too; later starts leave accounts alone', async (t) => {
  const storage = await testStorage(t)
  const { accounts } = storage
  assert.deepEqual(await bootstrapAdmin(storage, { username: 'admin', password: 'correct-horse' }, CHEAP), {
    action: 'created',
    username: 'admin',
  })
  const admin = await accounts.findAccount('admin')
  assert.equal(admin?.role, 'admin')
  assert.equal(await verifyPassword('correct-horse', admin!.passwordHash), true)
  const again = await bootstrapAdmin(storage, { username: 'admin', password: 'another password' }, CHEAP)
  assert.deepEqual(again, { action: 'accounts-exist', passwordIgnored: true })
  assert.equal(await verifyPassword('correct-horse', (await accounts.findAccount('admin'))!.passwordHash), true)
  assert.match(describeBootstrap(again)!.message, /BOXOFFICE_ADMIN_PASSWORD is ignored/)
  assert.deepEqual(await auditEntries(storage.audit), [
    { action: 'account.created', subject: 'admin', actor: `startup:${userInfo().username}`, device: 'BOXOFFICE_ADMIN_PASSWORD' },
  ])
})

test('with no account and no password, says how to create one', async (t) => {
  const outcome = await bootstrapAdmin(await testStorage(t), { username: 'admin', password: undefined })
  assert.deepEqual(outcome, { action: 'no-account' })
  const line = describeBootstrap(outcome)!
  assert.equal(line.level, 'warn')
  assert.match(line.message, /pnpm boxoffice user add NAME/)
  assert.match(line.message, /BOXOFFICE_ADMIN_PASSWORD/)
})

test('a password that is too short is refused, and no account is created', async (t) => {
  const storage = await testStorage(t)
  await assert.rejects(bootstrapAdmin(storage, { username: 'admin', password: 'short' }, CHEAP), AccountError)
  assert.equal(await storage.accounts.countAccounts(), 0)
  assert.deepEqual(await auditEntries(storage.audit), [])
})

test('instances starting at once on an empty database create the admin once, record it once, and none of them fails', async (t) => {
  const storage = await testStorage(t)
  const outcomes = await Promise.all(
    Array.from({ length: 3 }, () => bootstrapAdmin(storage, { username: 'admin', password: 'correct-horse' }, CHEAP)),
  )
  assert.equal(outcomes.filter((outcome) => outcome.action === 'created').length, 1)
  assert.equal(outcomes.filter((outcome) => outcome.action === 'accounts-exist').length, 2)
  assert.equal(await storage.accounts.countAccounts(), 1)
  assert.equal((await auditEntries(storage.audit)).length, 1)
})
