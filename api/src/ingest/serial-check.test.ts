import assert from 'node:assert/strict'
import { test } from 'node:test'
import { serialMismatch } from './serial-check.ts'

const range = (first: number, last: number) => Array.from({ length: last - first + 1 }, (_, i) => first + i)

test('the exact serials of the chunk, in order, match', () => {
  assert.equal(serialMismatch(12, 1000, range(600, 649)), undefined)
  assert.equal(serialMismatch(2, 120, range(100, 119)), undefined, 'the last chunk is shorter')
})

test('a missing and a foreign serial are named with the expected range', () => {
  assert.equal(serialMismatch(12, 1000, [...range(600, 648), 700]), 'chunk 12 must hold serials 600–649; got 600–648 and 700')
})

test('serials out of order, duplicated or too many do not match', () => {
  assert.match(serialMismatch(0, 100, [1, 0, ...range(2, 49)])!, /got 1, 0 and 2–49$/)
  assert.match(serialMismatch(0, 100, [...range(0, 48), 48])!, /got 0–48 and 48$/)
  assert.match(serialMismatch(2, 120, range(100, 149))!, /must hold serials 100–119; got 100–149$/)
})
