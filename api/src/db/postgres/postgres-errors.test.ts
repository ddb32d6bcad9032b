import assert from 'node:assert/strict'
import { test } from 'node:test'
import { StorageUnavailableError } from '../storage-unavailable.ts'
import { postgresFaultOf, translatePostgresError } from './postgres-errors.ts'

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code })

test('each kind of PostgreSQL fault is a storage fault an operator can act on', () => {
  const cases: [Error, string][] = [
    [withCode('40001'), 'conflict'], // serialization_failure
    [withCode('40P01'), 'conflict'], // deadlock_detected
    [withCode('57014'), 'timeout'], // statement_timeout
    [withCode('57P01'), 'unreachable'], // admin_shutdown: a restart
    [withCode('57P03'), 'unreachable'], // the server is starting
    [withCode('08006'), 'unreachable'], // connection failure
    [withCode('53100'), 'full'],
    [withCode('53300'), 'busy'],
    [withCode('25006'), 'read-only'],
    [withCode('3D000'), 'cannot-open'],
    [withCode('ECONNREFUSED'), 'unreachable'],
    [withCode('ECONNRESET'), 'unreachable'],
    [new Error('timeout exceeded when trying to connect'), 'timeout'],
    [new Error('Connection terminated unexpectedly'), 'unreachable'],
  ]
  for (const [error, fault] of cases)
    assert.equal(postgresFaultOf(error)?.fault, fault, `${(error as { code?: string }).code ?? error.message}`)
})

test('a bug or a constraint violation stays what it is, to be answered 500 and logged', () => {
  for (const error of [
    withCode('23505', 'duplicate key'),
    withCode('42P01', 'no such table'),
    new Error('undefined is not a function'),
    'text',
  ]) {
    assert.equal(translatePostgresError(error, 'commitChunk'), error)
  }
})

test('the translation keeps the operation, the driver code and the cause for the log', () => {
  const cause = withCode('40P01', 'deadlock detected')
  const translated = translatePostgresError(cause, 'commitChunk') as StorageUnavailableError
  assert.ok(translated instanceof StorageUnavailableError)
  assert.deepEqual(
    [translated.fault, translated.operation, translated.driverCode, translated.cause],
    ['conflict', 'commitChunk', '40P01', cause],
  )
})
