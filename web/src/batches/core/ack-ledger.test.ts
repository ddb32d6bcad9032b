import assert from 'node:assert/strict'
import { test } from 'node:test'
import { AckLedger } from './ack-ledger.ts'

test('a ledger seeded from the server ranges skips exactly the committed chunks', () => {
  const ledger = new AckLedger(520, [
    [0, 2],
    [5, 5],
  ]) // 11 chunks, the last one 20 tickets
  assert.equal(ledger.chunkCount, 11)
  assert.equal(ledger.ackedChunks, 4)
  assert.equal(ledger.ackedTickets, 200)
  assert.equal(ledger.nextMissing(0), 3)
  assert.equal(ledger.nextMissing(5), 6)
  assert.deepEqual(
    [3, 4, 6, 7, 8, 9, 10].filter((index) => ledger.has(index)),
    [],
    'chunks 3–4 and 6–10 are missing',
  )
})

test('acknowledging counts each chunk once and the short last chunk by its size', () => {
  const ledger = new AckLedger(120)
  ledger.add(2)
  ledger.add(2)
  assert.equal(ledger.ackedTickets, 20)
  ledger.add(0)
  ledger.add(1)
  assert.equal(ledger.ackedChunks, ledger.chunkCount, 'complete')
  assert.equal(ledger.ackedTickets, 120)
  assert.equal(ledger.nextMissing(0), 3)
})

test('ranges past the end of the batch are ignored rather than trusted', () => {
  const ledger = new AckLedger(100, [[0, 9]])
  assert.equal(ledger.ackedChunks, 2)
  assert.equal(ledger.ackedChunks, ledger.chunkCount, 'complete')
})
