import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { decodeBase32, encodeBase32 } from './base32.ts'

test('base32 round-trips any bytes and matches RFC 4648 vectors', () => {
  assert.equal(encodeBase32(new TextEncoder().encode('foobar')), 'MZXW6YTBOI')
  assert.equal(encodeBase32(new TextEncoder().encode('fo')), 'MZXQ')
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      assert.deepEqual(decodeBase32(encodeBase32(bytes)), bytes)
    }),
  )
})

test('base32 decoding refuses non-canonical text instead of guessing', () => {
  assert.equal(decodeBase32('MZXQ1'), undefined)
  assert.equal(decodeBase32('mzxq'), undefined)
  assert.equal(decodeBase32('MZXR'), undefined) // non-zero padding bits
  assert.equal(decodeBase32('M'), undefined)
})
