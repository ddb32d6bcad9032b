import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { BatchRecord } from '../db/ticket-repository.ts'
import { pdfParts, pdfRange } from './pdf-parts.ts'

const batch = (quantity: number) => ({ id: '3f1c2a4e-8b7d-4c6a-9e21-5d0f7a9b1c23', quantity }) as BatchRecord

test('a batch is split into PDF files of at most 5,000 tickets, the last one shorter', () => {
  const { parts } = pdfParts(batch(12_001), 'a4-8')
  assert.deepEqual(
    parts.map(({ from, to, tickets, pages }) => [from, to, tickets, pages]),
    [
      [0, 4999, 5000, 625],
      [5000, 9999, 5000, 625],
      [10_000, 12_000, 2001, 251],
    ],
  )
  assert.equal(parts[2]!.url, '/api/batches/3f1c2a4e-8b7d-4c6a-9e21-5d0f7a9b1c23/tickets.pdf?layout=a4-8&from=10000&to=12000')
  assert.deepEqual(
    pdfParts(batch(1), 'single').parts.map((part) => [part.from, part.to, part.pages]),
    [[0, 0, 1]],
  )
})

test('a PDF range defaults to the whole batch and must lie within it and within one file', () => {
  assert.deepEqual(pdfRange(batch(200), 'single'), [0, 199])
  assert.deepEqual(pdfRange(batch(20_000), 'single', 5000, 9999), [5000, 9999])
  assert.throws(() => pdfRange(batch(200), 'single', 10, 200), { code: 'EXPORT_RANGE_INVALID' })
  assert.throws(() => pdfRange(batch(200), 'single', 20, 10), { code: 'EXPORT_RANGE_INVALID' })
  assert.throws(() => pdfRange(batch(20_000), 'single'), { code: 'EXPORT_RANGE_TOO_LARGE', statusCode: 422 })
  assert.throws(() => pdfRange(batch(20_000), 'single', 0, 5000), { code: 'EXPORT_RANGE_TOO_LARGE' })
})
