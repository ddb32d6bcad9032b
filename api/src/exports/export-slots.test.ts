import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ExportSlots } from './export-slots.ts'

test('slots are limited per account and in all, and a release gives exactly one back however often it is called', () => {
  const slots = new ExportSlots({ perAccount: 2, total: 3 })
  const a1 = slots.tryAcquire(1)
  const a2 = slots.tryAcquire(1)
  assert.deepEqual(slots.tryAcquire(1), { refused: 'account' })
  const b1 = slots.tryAcquire(2)
  assert.deepEqual(slots.tryAcquire(2), { refused: 'server' })
  assert.equal(slots.running, 3)
  assert.ok('release' in a1 && 'release' in a2 && 'release' in b1)
  a1.release()
  a1.release()
  assert.equal(slots.running, 2)
  assert.ok('release' in slots.tryAcquire(2), 'a freed slot serves another account')
  assert.deepEqual(slots.tryAcquire(3), { refused: 'server' })
})

test('limits must be positive integers', () => {
  assert.throws(() => new ExportSlots({ perAccount: 0, total: 4 }), /perAccount must be a positive integer/)
  assert.throws(() => new ExportSlots({ perAccount: 2, total: 1.5 }), /total must be a positive integer/)
})
