import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { BatchRecord } from '../db/ticket-repository.ts'
import { describeMissingChunks, differingFields } from './batch-lifecycle.ts'

test('missing chunks are described with their serials; the last chunk may be short', () => {
  assert.equal(
    describeMissingChunks(
      'b',
      [
        [2, 3],
        [7, 7],
        [19, 19],
      ],
      990,
    ),
    'batch b is missing 4 of 20 chunks: 2–3 (serials 100–199), 7 (serials 350–399), 19 (serials 950–989)',
  )
})

test('a long list of missing ranges is cut short in the message', () => {
  const missing = Array.from({ length: 15 }, (_, i): [number, number] => [i * 2, i * 2])
  const message = describeMissingChunks('b', missing, 5000)
  assert.match(message, /^batch b is missing 15 of 100 chunks: 0 \(serials 0–49\), 2 /)
  assert.match(message, /18 \(serials 900–949\), and 5 more ranges$/)
})

test('differingFields names each request field whose value differs from the stored batch', () => {
  const stored: BatchRecord = {
    id: 'b',
    eventId: 'e',
    event: 'Gala',
    ticketTypeId: 't',
    ticketType: 'VIP',
    priceMinor: 100,
    currency: 'EUR',
    quantity: 10,
    publicKey: 'k',
    state: 'open',
    createdAt: 'now',
    finishedAt: null,
    chunksReceived: 0,
    ticketsReceived: 0,
    createdBy: 1,
    createdByUsername: 'alice',
    revokedAt: null,
  }
  const same = { id: 'b', ticketTypeId: 't', quantity: 10, publicKey: 'k' }
  assert.deepEqual(differingFields(stored, same), [])
  assert.deepEqual(differingFields(stored, { ...same, ticketTypeId: 'u', quantity: 11 }), ['ticketTypeId', 'quantity'])
})
