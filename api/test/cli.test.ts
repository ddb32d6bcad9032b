// The real command line, as a person runs it: a separate process, the password piped into stdin.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { join, resolve } from 'node:path'
import { test } from 'node:test'
import { verifyPassword } from '../src/auth/password-hash.ts'
import type { StorageConfig } from '../src/db/storage.ts'
import { inspect, tempDir, testDatabase } from './helper.ts'
import { databaseEnv } from '@boxoffice/testkit/api-process'

const CLI = resolve(import.meta.dirname, '../src/cli.ts')

function boxoffice(database: StorageConfig, args: string[], stdin = '') {
  const result = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], {
    input: stdin,
    env: { ...process.env, ...databaseEnv(database) },
    encoding: 'utf8',
  })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

test('boxoffice user add/passwd/signout/list/disable works from a shell, with the password piped in', async (t) => {
  const fresh = await testDatabase(t)
  // A SQLite file's folder is created when missing.
  const database = fresh.backend === 'sqlite' ? { ...fresh, path: join(tempDir(t), 'data', 'cli.db') } : fresh
  const added = boxoffice(database, ['user', 'add', 'alice'], 'correct-horse\n')
  assert.deepEqual(added, { code: 0, stdout: 'created admin account alice\n', stderr: '' })

  const short = boxoffice(database, ['user', 'add', 'bob'], 'short\n')
  assert.equal(short.code, 1)
  assert.equal(short.stderr, 'boxoffice: password must be at least 8 characters (got 5)\n')

  const usage = boxoffice(database, ['user', 'frobnicate'])
  assert.equal(usage.code, 2)
  assert.match(usage.stderr, /^boxoffice: unknown subcommand user frobnicate\n\nusage:/)

  const passwd = boxoffice(database, ['user', 'passwd', 'alice'], 'battery-staple\n')
  assert.deepEqual(passwd, { code: 0, stdout: 'changed the password of alice; 0 sessions ended\n', stderr: '' })
  assert.deepEqual(boxoffice(database, ['user', 'signout', 'alice']), {
    code: 0,
    stdout: 'signed out alice everywhere; 0 sessions ended\n',
    stderr: '',
  })

  assert.equal(boxoffice(database, ['user', 'disable', 'alice']).code, 0)
  const list = boxoffice(database, ['user', 'list'])
  assert.equal(list.code, 0)
  assert.match(list.stdout, /^USERNAME +ROLE +STATUS +CREATED\nalice +admin +disabled /)

  const { storage } = await inspect(t, database)
  const alice = await storage.accounts.findAccount('alice')
  assert.equal(await verifyPassword('battery-staple', alice!.passwordHash), true, 'the newline is not part of the password')
  assert.equal(await storage.accounts.findAccount('bob'), undefined)
})
