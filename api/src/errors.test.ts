import assert from 'node:assert/strict'
import { test } from 'node:test'
import { describeValidationError } from './errors.ts'

test('a validation error names the request part and the path of the bad field', () => {
  const error = {
    keyword: 'pattern',
    instancePath: '/tickets/3/token',
    schemaPath: '#',
    params: {},
    message: 'must match pattern "^[A-Z2-7]+$"',
  }
  assert.equal(describeValidationError(error, 'body'), 'body/tickets/3/token must match pattern "^[A-Z2-7]+$"')
})

test('a property forbidden by additionalProperties:false is called not allowed', () => {
  const error = { keyword: 'boolean', instancePath: '/colour', schemaPath: '#', params: {}, message: 'schema is false' }
  assert.equal(describeValidationError(error, 'body'), 'body/colour is not allowed')
})
