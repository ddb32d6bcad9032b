import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import { testStorage } from '../../test/test-database.ts'
import { AccountError } from '../auth/accounts.ts'
import { verifyPassword } from '../auth/password-hash.ts'
import { hashSessionToken } from '../auth/sessions.ts'
import type { AccountRepository } from '../db/account-repository.ts'
import { formatAccountTable, parseUserCommand, runUserCommand, UsageError, type UserCommand } from './user-commands.ts'

const CHEAP = { N: 1024, r: 8, p: 1 }

async function setUp(t: TestContext, initialPassword = 'long enough') {
  const storage = await testStorage(t)
  const printed: string[] = []
  const asked: string[] = []
  const typed = { password: initialPassword }
  const run = (argv: string[]) =>
    runUserCommand(parseUserCommand(argv), {
      accounts: storage.accounts,
      readPassword: async (username) => {
        asked.push(username)
        return typed.password
      },
      print: (text) => printed.push(text),
      scrypt: CHEAP,
      audit: storage.audit,
    })
  return { accounts: storage.accounts, audit: storage.audit, printed, asked, typed, run }
}

async function startSessions(accounts: AccountRepository, username: string, tokens: string[]) {
  const account = (await accounts.findAccount(username))!
  for (const token of tokens) {
    const now = new Date().toISOString()
    const session = {
      tokenHash: hashSessionToken(token),
      accountId: account.id,
      createdAt: now,
      expiresAt: '2999-01-01T00:00:00.000Z',
      lastSeen: now,
    }
    assert.equal(await accounts.createSession(session, account.passwordHash), true)
  }
}

test('parses the user commands, and refuses anything else as a usage error', () => {
  const parsed: [string[], UserCommand][] = [
    [[], { command: 'help' }],
    [['--help'], { command: 'help' }],
    [['user', 'add', 'alice'], { command: 'add', username: 'alice' }],
    [['user', 'add', 'alice', '--role', 'admin'], { command: 'add', username: 'alice', role: 'admin' }],
    [['user', 'list'], { command: 'list' }],
    [['user', 'disable', 'alice'], { command: 'disable', username: 'alice' }],
    [['user', 'enable', 'alice'], { command: 'enable', username: 'alice' }],
    [['user', 'passwd', 'alice'], { command: 'passwd', username: 'alice' }],
    [['user', 'signout', 'alice'], { command: 'signout', username: 'alice' }],
  ]
  for (const [argv, command] of parsed) assert.deepEqual(parseUserCommand(argv), command, argv.join(' '))
  for (const argv of [
    ['users'],
    ['user'],
    ['user', 'add'],
    ['user', 'add', 'alice', '--role', 'owner'],
    ['user', 'disable'],
    ['user', 'list', 'x'],
    ['user', 'remove', 'alice'],
    ['user', 'passwd'],
    ['user', 'signout', 'alice', 'bob'],
  ]) {
    assert.throws(() => parseUserCommand(argv), UsageError, argv.join(' '))
  }
})

test('user add asks for the password of the lower-cased name and creates the account', async (t) => {
  const { accounts, printed, asked, run } = await setUp(t)
  await run(['user', 'add', 'Alice'])
  await run(['user', 'add', 'bob'])
  assert.deepEqual(asked, ['alice', 'bob'])
  assert.deepEqual(printed, ['created admin account alice', 'created staff account bob'])
  assert.equal((await accounts.findAccount('bob'))?.role, 'staff')
})

test('user add refuses a password shorter than 8 characters, creating nothing', async (t) => {
  const { accounts, run } = await setUp(t, 'short')
  await assert.rejects(
    run(['user', 'add', 'alice']),
    (error: Error) => error instanceof AccountError && /at least 8 characters/.test(error.message),
  )
  assert.equal(await accounts.countAccounts(), 0)
})

test('user disable disables the account and deletes its sessions; user enable undoes it; unknown names are errors', async (t) => {
  const { accounts, printed, run } = await setUp(t)
  await run(['user', 'add', 'alice'])
  await startSessions(accounts, 'alice', ['a'.repeat(43), 'b'.repeat(43)])
  await run(['user', 'disable', 'ALICE'])
  assert.equal(printed.at(-1), 'disabled alice; 2 sessions ended')
  assert.notEqual((await accounts.findAccount('alice'))?.disabledAt, null)
  assert.equal(await accounts.findSession(hashSessionToken('a'.repeat(43))), undefined)
  await run(['user', 'disable', 'alice'])
  assert.equal(printed.at(-1), 'alice was already disabled (0 sessions ended)')
  await run(['user', 'enable', 'alice'])
  assert.equal((await accounts.findAccount('alice'))?.disabledAt, null)
  await assert.rejects(run(['user', 'disable', 'nobody']), /no account named "nobody"/)
  await assert.rejects(run(['user', 'enable', 'nobody']), /no account named "nobody"/)
})

test('user passwd asks for the new password, replaces the hash and ends every session of the account, and only of it', async (t) => {
  const { accounts, printed, asked, typed, run } = await setUp(t)
  await run(['user', 'add', 'alice'])
  await run(['user', 'add', 'bob'])
  await startSessions(accounts, 'alice', ['a'.repeat(43), 'b'.repeat(43)])
  await startSessions(accounts, 'bob', ['c'.repeat(43)])
  typed.password = 'a new long password'
  await run(['user', 'passwd', 'Alice'])
  assert.equal(asked.at(-1), 'alice')
  assert.equal(printed.at(-1), 'changed the password of alice; 2 sessions ended')
  const alice = (await accounts.findAccount('alice'))!
  assert.equal(await verifyPassword('a new long password', alice.passwordHash), true)
  assert.equal(await verifyPassword('long enough', alice.passwordHash), false)
  assert.equal(await accounts.findSession(hashSessionToken('a'.repeat(43))), undefined)
  assert.notEqual(await accounts.findSession(hashSessionToken('c'.repeat(43))), undefined, "bob's session stays")
})

test('user passwd refuses a short password or an unknown name, changing nothing', async (t) => {
  const { accounts, typed, run } = await setUp(t)
  await run(['user', 'add', 'alice'])
  await startSessions(accounts, 'alice', ['a'.repeat(43)])
  const before = (await accounts.findAccount('alice'))!.passwordHash
  typed.password = 'short'
  await assert.rejects(
    run(['user', 'passwd', 'alice']),
    (error: Error) => error instanceof AccountError && /at least 8 characters/.test(error.message),
  )
  typed.password = 'long enough again'
  await assert.rejects(
    run(['user', 'passwd', 'nobody']),
    (error: Error) => error instanceof AccountError && /no account named "nobody"/.test(error.message),
  )
  assert.equal((await accounts.findAccount('alice'))!.passwordHash, before)
  assert.notEqual(await accounts.findSession(hashSessionToken('a'.repeat(43))), undefined)
})

test('user signout ends every session of the account and keeps it enabled; unknown names are errors', async (t) => {
  const { accounts, printed, run } = await setUp(t)
  await run(['user', 'add', 'alice'])
  await startSessions(accounts, 'alice', ['a'.repeat(43), 'b'.repeat(43)])
  await run(['user', 'signout', 'ALICE'])
  assert.equal(printed.at(-1), 'signed out alice everywhere; 2 sessions ended')
  assert.equal(await accounts.findSession(hashSessionToken('b'.repeat(43))), undefined)
  assert.equal((await accounts.findAccount('alice'))?.disabledAt, null)
  await run(['user', 'signout', 'alice'])
  assert.equal(printed.at(-1), 'signed out alice everywhere; 0 sessions ended')
  await assert.rejects(run(['user', 'signout', 'nobody']), /no account named "nobody"/)
})

test('user list prints a table without password hashes', async (t) => {
  const { printed, run } = await setUp(t)
  await run(['user', 'list'])
  assert.match(printed[0]!, /^no accounts yet/)
  await run(['user', 'add', 'alice'])
  await run(['user', 'add', 'bob'])
  await run(['user', 'disable', 'bob'])
  await run(['user', 'list'])
  const lines = printed.at(-1)!.split('\n')
  assert.match(lines[0]!, /^USERNAME\s+ROLE\s+STATUS\s+CREATED$/)
  assert.match(lines[1]!, /^alice\s+admin\s+active\s+\d{4}-\d\d-\d\d \d\d:\d\d$/)
  assert.match(lines[2]!, /^bob\s+staff\s+disabled \d{4}-\d\d-\d\d \d\d:\d\d\s+\d{4}/)
  assert.doesNotMatch(printed.at(-1)!, /scrypt/)
})

test('the table pads every column to its widest cell', () => {
  const table = formatAccountTable([
    {
      id: 1,
      username: 'a-very-long-name',
      passwordHash: 'x',
      role: 'staff',
      disabledAt: null,
      createdAt: '2026-01-02T03:04:05.000Z',
      mustChangePassword: false,
    },
  ])
  assert.equal(table, 'USERNAME          ROLE   STATUS  CREATED\na-very-long-name  staff  active  2026-01-02 03:04')
})

test('each change from the command line is one audit entry by cli:<user>; listing and repeats record nothing', async (t) => {
  const { audit, run } = await setUp(t)
  await run(['user', 'add', 'alice'])
  await run(['user', 'list'])
  await run(['user', 'disable', 'alice'])
  await run(['user', 'disable', 'alice'])
  await run(['user', 'enable', 'alice'])
  await run(['user', 'passwd', 'alice'])
  await run(['user', 'signout', 'alice'])
  const entries = await audit.list({ limit: 100 })
  assert.deepEqual(entries.map((entry) => `${entry.action} ${entry.subject}`).reverse(), [
    'account.created alice',
    'account.disabled alice',
    'account.enabled alice',
    'account.password_set alice',
    'account.signed_out alice',
  ])
  assert.ok(entries.every((entry) => entry.actor?.startsWith('cli:') && entry.device === 'command line'))
})
