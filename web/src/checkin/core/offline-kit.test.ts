import assert from 'node:assert/strict'
import { test } from 'node:test'
import { SMALL_ORDER_KEYS } from '@boxoffice/tickets/testing'
import { inRanges, loadOfflineKit } from './offline-kit.ts'
import { signedBatch } from './testing/signed-batch.ts'

test('inRanges finds serials inside sorted inclusive ranges and nothing between them', () => {
  const ranges: [number, number][] = [
    [0, 0],
    [3, 5],
    [9, 9],
    [20, 100],
  ]
  const inside = [0, 3, 4, 5, 9, 20, 57, 100]
  const outside = [1, 2, 6, 8, 10, 19, 101]
  for (const serial of inside) assert.equal(inRanges(ranges, serial), true, `serial ${serial}`)
  for (const serial of outside) assert.equal(inRanges(ranges, serial), false, `serial ${serial}`)
  assert.equal(inRanges([], 0), false)
})

test('a kit batch whose public key is any encoding of a small-order point is refused, naming the batch', async () => {
  const good = await signedBatch()
  for (const { name, publicKey } of SMALL_ORDER_KEYS) {
    const weak = await signedBatch({ publicKey })
    await assert.rejects(
      loadOfflineKit([good.kitBatch, weak.kitBatch]),
      (error: Error) => {
        assert.match(error.message, new RegExp(`batch ${weak.kitBatch.id}: public key is a small-order point`), name)
        return true
      },
      name,
    )
  }
  assert.equal((await loadOfflineKit([good.kitBatch])).size, 1)
})
