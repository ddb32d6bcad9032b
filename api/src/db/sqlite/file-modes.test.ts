import assert from 'node:assert/strict'
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { test } from 'node:test'
import Database from 'better-sqlite3'
import { buildApp } from '../../app.ts'
import { tempDir } from '../../../test/temp-dir.ts'
import { openSqliteStorage } from './sqlite-storage.ts'

const modeOf = (path: string) => statSync(path).mode & 0o777
const octal = (mode: number) => mode.toString(8).padStart(4, '0')

test('a new database: its folders are 0700, the file and its -wal and -shm 0600, whatever the umask allows others', async (t) => {
  const path = join(tempDir(t), 'site', 'data', 'boxoffice.db')
  const storage = openSqliteStorage({ path, synchronous: 'NORMAL' })
  t.after(() => storage.close())
  // A write, so that the WAL holds something and both side files certainly exist.
  await storage.accounts.createAccount({ username: 'alice', passwordHash: 'h', role: 'admin', createdAt: new Date().toISOString() })
  assert.equal(octal(modeOf(join(path, '..', '..'))), '0700', 'the folder made on the way')
  assert.equal(octal(modeOf(join(path, '..'))), '0700')
  for (const file of [path, `${path}-wal`, `${path}-shm`]) assert.equal(octal(modeOf(file)), '0600', file)
  assert.deepEqual(storage.warnings, [])
})

test('an existing database others can read: one warning per file and folder, naming the path and mode and how to fix it; nothing is changed', (t) => {
  const folder = join(tempDir(t), 'shared')
  mkdirSync(folder)
  chmodSync(folder, 0o755)
  const path = join(folder, 'boxoffice.db')
  const old = new Database(path)
  old.pragma('journal_mode = WAL')
  old.exec('CREATE TABLE kept (x)')
  // Left open, so that -wal and -shm stay, as they do beside a running server or after a crash.
  t.after(() => old.close())
  chmodSync(path, 0o644)
  chmodSync(`${path}-wal`, 0o640)
  chmodSync(`${path}-shm`, 0o600)

  const storage = openSqliteStorage({ path, synchronous: 'NORMAL' })
  t.after(() => storage.close())
  assert.deepEqual(storage.warnings, [
    `database folder ${folder} has mode 0755: other users can list it; fix with: chmod 700 ${folder}`,
    `database file ${path} has mode 0644: other users can read it; fix with: chmod 600 ${path}`,
    `database file ${path}-wal has mode 0640: other users can read it; fix with: chmod 600 ${path}-wal`,
  ])
  assert.equal(octal(modeOf(path)), '0644', 'the operator decides; the server only says')
})

test('a shared sticky folder such as /tmp is not reported (chmod 700 on it would be wrong advice); the file still is', (t) => {
  const folder = join(tempDir(t), 'scratch')
  mkdirSync(folder)
  chmodSync(folder, 0o1777)
  const path = join(folder, 'boxoffice.db')
  writeFileSync(path, '')
  chmodSync(path, 0o604)
  const storage = openSqliteStorage({ path, synchronous: 'NORMAL' })
  t.after(() => storage.close())
  assert.deepEqual(storage.warnings, [`database file ${path} has mode 0604: other users can read it; fix with: chmod 600 ${path}`])
})

test('the server logs each warning at start, at level warn', async (t) => {
  const path = join(tempDir(t), 'boxoffice.db')
  writeFileSync(path, '')
  chmodSync(path, 0o644)
  const lines: { level: number; msg: string }[] = []
  const stream = new Writable({
    write(line, _encoding, done) {
      lines.push(JSON.parse(String(line)))
      done()
    },
  })
  const app = await buildApp({ database: { backend: 'sqlite', path, synchronous: 'NORMAL' }, logger: { level: 'info', stream } })
  await app.close()
  const warnings = lines.filter((line) => line.level === 40).map((line) => line.msg)
  assert.deepEqual(warnings, [`database file ${path} has mode 0644: other users can read it; fix with: chmod 600 ${path}`])
})
