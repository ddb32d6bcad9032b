import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createRepeatGuard } from './camera-scanner.ts'

test('a code held in front of the camera counts once; shown again after a pause it counts again', () => {
  let clock = 0
  const guard = createRepeatGuard(2_000, () => clock)
  assert.equal(guard('A'), true)
  for (clock = 200; clock <= 5_000; clock += 200) assert.equal(guard('A'), false, `frame at ${clock} ms`)
  clock += 2_000
  assert.equal(guard('A'), true)
})

test('a different code passes at once, and the first code after it does too', () => {
  let clock = 0
  const guard = createRepeatGuard(2_000, () => clock)
  assert.equal(guard('A'), true)
  clock = 100
  assert.equal(guard('B'), true)
  clock = 200
  assert.equal(guard('A'), true)
})
