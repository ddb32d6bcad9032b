import assert from 'node:assert/strict'
import { test } from 'node:test'
import { inRanges } from './offline-kit.ts'

test('inRanges finds serials inside sorted inclusive ranges and nothing between them', () => {
  const ranges: [number, number][] = [[0, 0], [3, 5], [9, 9], [20, 100]]
  const inside = [0, 3, 4, 5, 9, 20, 57, 100]
  const outside = [1, 2, 6, 8, 10, 19, 101]
  for (const serial of inside) assert.equal(inRanges(ranges, serial), true, `serial ${serial}`)
  for (const serial of outside) assert.equal(inRanges(ranges, serial), false, `serial ${serial}`)
  assert.equal(inRanges([], 0), false)
})
