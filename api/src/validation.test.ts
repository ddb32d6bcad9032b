import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { FastifyRouteSchemaDef } from 'fastify/types/schema.js'
import type { TSchema } from 'typebox'
import { ChunkBody, ChunkParams, SignInBody } from '@boxoffice/tickets'
import { validatorCompiler } from './validation.ts'

function compile(schema: TSchema, httpPart: string) {
  return validatorCompiler({ schema, httpPart, method: 'PUT', url: '/' } as FastifyRouteSchemaDef<TSchema>) as (value: unknown) => {
    value?: unknown
    error?: unknown[]
  }
}

const id = '01234567-89ab-cdef-0123-456789abcdef'

test('a decimal integer parameter becomes a number', () => {
  assert.deepEqual(compile(ChunkParams, 'params')({ id, index: '12' }).value, { id, index: 12 })
})

test('parameters that only look like integers are refused, not rounded', () => {
  for (const index of ['1.5', '', '0x10', '1e2', ' 1', '01', '-1', '-0', 'abc']) {
    assert.ok(compile(ChunkParams, 'params')({ id, index }).error, `index ${JSON.stringify(index)}`)
  }
})

test('a body is not coerced: a serial sent as a string is refused', () => {
  const result = compile(ChunkBody, 'body')({ tickets: [{ serial: '1', token: 'AAAA' }] })
  assert.ok(result.error)
})

test('a body string holding a lone surrogate is refused, naming the field; surrogate pairs are fine', () => {
  const token = 'A'.repeat(8)
  const refused = compile(ChunkBody, 'body')({ tickets: [{ serial: 1, token }] })
  assert.equal(refused.error, undefined)
  const validate = compile(SignInBody, 'body')
  assert.deepEqual(
    validate({ username: 'x\ud800', password: 'p' }).error?.map((error: any) => [error.instancePath, error.message]),
    [['/username', 'must be well-formed Unicode (it holds a lone surrogate)']],
  )
  assert.ok(validate({ username: '\udc00x', password: 'p' }).error)
  assert.deepEqual(validate({ username: 'ok 🎟', password: 'p' }).value, { username: 'ok 🎟', password: 'p' })
})

test('a body string holding NUL is refused, naming the field: PostgreSQL cannot store it', () => {
  const validate = compile(SignInBody, 'body')
  assert.deepEqual(
    validate({ username: 'ali\u0000ce', password: 'p' }).error?.map((error: any) => [error.instancePath, error.message]),
    [['/username', 'must not contain the NUL character (U+0000)']],
  )
})
