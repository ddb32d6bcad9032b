import assert from 'node:assert/strict'
import { test } from 'node:test'
import { defaultSignInLine, SignInLine } from './sign-in-line.ts'

test('by default one password check fewer at once than there are cores (at least one), and 16 waiting for each', () => {
  assert.deepEqual(defaultSignInLine(1), { concurrency: 1, maxWaiting: 16 })
  assert.deepEqual(defaultSignInLine(2), { concurrency: 1, maxWaiting: 16 })
  assert.deepEqual(defaultSignInLine(8), { concurrency: 7, maxWaiting: 112 })
})

test('refusals are summed up for the log at most once every 10 s', () => {
  let now = 1_000
  const line = new SignInLine({ concurrency: 1, maxWaiting: 0 }, () => now)
  assert.deepEqual(line.refused(), { refused: 1, running: 0, waiting: 0 })
  for (let i = 0; i < 500; i++) assert.equal(line.refused(), undefined)
  now += 9_999
  assert.equal(line.refused(), undefined)
  now += 1
  assert.deepEqual(line.refused(), { refused: 502, running: 0, waiting: 0 })
})
