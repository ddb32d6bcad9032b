import assert from 'node:assert/strict'
import { test } from 'node:test'
import Database from 'better-sqlite3'
import { sqliteOperation, storageFaultOf, translateSqliteError } from './sqlite-errors.ts'
import { StorageUnavailableError } from '../storage-unavailable.ts'

test('storage result codes, primary and extended, map to their fault', () => {
  const expected: [string, string][] = [
    ['SQLITE_FULL', 'full'],
    ['SQLITE_READONLY', 'read-only'],
    ['SQLITE_READONLY_DBMOVED', 'read-only'],
    ['SQLITE_IOERR', 'io'],
    ['SQLITE_IOERR_WRITE', 'io'],
    ['SQLITE_IOERR_FSYNC', 'io'],
    ['SQLITE_BUSY', 'busy'],
    ['SQLITE_BUSY_SNAPSHOT', 'busy'],
    ['SQLITE_LOCKED', 'busy'],
    ['SQLITE_CANTOPEN', 'cannot-open'],
    ['SQLITE_CORRUPT', 'corrupt'],
    ['SQLITE_NOTADB', 'corrupt'],
  ]
  for (const [code, fault] of expected) assert.equal(storageFaultOf(code), fault, code)
})

test('errors that are not storage faults pass through unchanged', () => {
  for (const code of ['SQLITE_CONSTRAINT_PRIMARYKEY', 'SQLITE_ERROR', 'SQLITE_MISMATCH', 'SQLITE_FULLNESS', 'ENOSPC']) {
    assert.equal(storageFaultOf(code), undefined, code)
  }
  const constraint = new Database.SqliteError('UNIQUE constraint failed', 'SQLITE_CONSTRAINT_PRIMARYKEY')
  assert.equal(translateSqliteError(constraint, 'commitChunk'), constraint)
  const bug = new TypeError('x is undefined')
  assert.equal(translateSqliteError(bug, 'commitChunk'), bug)
})

test('a storage fault becomes a StorageUnavailableError with the operation, the driver code and the cause', async () => {
  const driverError = new Database.SqliteError('disk I/O error', 'SQLITE_IOERR_WRITE')
  const rejected = sqliteOperation('commitChunk', () => {
    throw driverError
  })
  await assert.rejects(rejected, (error: unknown) => {
    assert.ok(error instanceof StorageUnavailableError)
    assert.equal(error.fault, 'io')
    assert.equal(error.operation, 'commitChunk')
    assert.equal(error.driverCode, 'SQLITE_IOERR_WRITE')
    assert.equal(error.cause, driverError)
    return true
  })
})
