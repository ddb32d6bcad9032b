import assert from 'node:assert/strict'
import { test } from 'node:test'
import { splitIntoPieces } from './pieces.ts'
import { syncPieces } from './sync-pieces.ts'
import { localCheckin } from './testing/signed-batch.ts'

test('2,001 pending check-ins go as 1,000 + 1,000 + 1, none lost or repeated', () => {
  const pending = Array.from({ length: 2_001 }, (_, serial) =>
    localCheckin({ batchId: 'b', serial, checkedInAt: new Date(Date.UTC(2026, 10, 29, 19, 0, 0, serial)).toISOString() }))
  const pieces = syncPieces(pending)
  assert.deepEqual(pieces.map((piece) => piece.length), [1_000, 1_000, 1])
  assert.deepEqual(pieces.flat().map((checkin) => checkin.serial), pending.map((checkin) => checkin.serial))
})

test('pieces are in order of scanning, whatever order the store returned', () => {
  const pending = [
    localCheckin({ batchId: 'b', serial: 1, checkedInAt: '2026-11-29T19:00:02.000Z' }),
    localCheckin({ batchId: 'a', serial: 9, checkedInAt: '2026-11-29T19:00:00.000Z' }),
    localCheckin({ batchId: 'b', serial: 0, checkedInAt: '2026-11-29T19:00:01.000Z' }),
  ]
  assert.deepEqual(syncPieces(pending, 2).map((piece) => piece.map((c) => c.serial)), [[9, 0], [1]])
})

test('nothing pending is no request; a piece size below 1 is refused', () => {
  assert.deepEqual(syncPieces([]), [])
  assert.throws(() => splitIntoPieces([1], 0), RangeError)
})
