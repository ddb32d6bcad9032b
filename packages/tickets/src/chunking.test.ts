import assert from 'node:assert/strict'
import { test } from 'node:test'
import { chunkCount, chunkSerialRange, formatRanges, missingRanges, rangesSize, toRanges } from './chunking.ts'

test('chunk i holds serials 50·i … 50·i+49 and the last chunk may be shorter', () => {
  assert.equal(chunkCount(1), 1)
  assert.equal(chunkCount(50), 1)
  assert.equal(chunkCount(51), 2)
  assert.equal(chunkCount(1_000_000), 20_000)
  assert.deepEqual(chunkSerialRange(0, 120), [0, 49])
  assert.deepEqual(chunkSerialRange(2, 120), [100, 119])
})

test('indexes collapse into inclusive ranges', () => {
  assert.deepEqual(toRanges([]), [])
  assert.deepEqual(toRanges([0, 1, 2, 5, 7, 8]), [
    [0, 2],
    [5, 5],
    [7, 8],
  ])
  assert.equal(
    rangesSize([
      [0, 2],
      [5, 5],
    ]),
    4,
  )
})

test('missing ranges are the complement within the chunk count', () => {
  assert.deepEqual(missingRanges([], 3), [[0, 2]])
  assert.deepEqual(missingRanges([[0, 2]], 3), [])
  assert.deepEqual(
    missingRanges(
      [
        [1, 2],
        [5, 5],
      ],
      8,
    ),
    [
      [0, 0],
      [3, 4],
      [6, 7],
    ],
  )
  assert.equal(
    formatRanges([
      [0, 0],
      [3, 4],
    ]),
    '0, 3–4',
  )
})
