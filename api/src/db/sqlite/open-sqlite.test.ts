import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import { tempDir } from '../../../test/temp-dir.ts'
import { openSqlite } from './open-sqlite.ts'

// PRAGMA synchronous reads back as a number: 1 = NORMAL, 2 = FULL.
test('the database opens in WAL mode with synchronous NORMAL, a busy timeout and foreign keys', (t) => {
  const db = openSqlite(join(tempDir(t), 'pragmas.db'))
  t.after(() => db.close())
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal')
  assert.equal(db.pragma('synchronous', { simple: true }), 1)
  assert.equal(db.pragma('busy_timeout', { simple: true }), 5000)
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1)
})

test('synchronous FULL can be asked for', (t) => {
  const db = openSqlite(join(tempDir(t), 'full.db'), { synchronous: 'FULL' })
  t.after(() => db.close())
  assert.equal(db.pragma('synchronous', { simple: true }), 2)
})

test('foreign keys are enforced: a chunk of a batch that does not exist is refused', (t) => {
  const db = openSqlite(join(tempDir(t), 'fk.db'))
  t.after(() => db.close())
  assert.throws(() => db.prepare("INSERT INTO chunks VALUES ('missing', 0, 'd', 1, 'now')").run(), /FOREIGN KEY constraint failed/)
})
