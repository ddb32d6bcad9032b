import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { PdfParts, TicketLayout } from '@boxoffice/tickets'
import { ApiError } from '../../shared/core/request-failure.ts'
import { csvUrl, partLabel, partsNote, planFileDownload, planPdfDownload, type ListPdfParts } from './ticket-downloads.ts'

const ID = '3f1c2a4e-8b7d-4c6a-9e21-5d0f7a9b1c23'

/** The parts the API lists for a batch of `quantity` tickets (as api/src/exports/pdf-parts.ts does). */
function partsOf(quantity: number, layout: TicketLayout): PdfParts {
  const parts: PdfParts['parts'] = []
  for (let from = 0; from < quantity; from += 5000) {
    const to = Math.min(from + 5000, quantity) - 1
    const pages = Math.ceil((to - from + 1) / (layout === 'single' ? 1 : 8))
    parts.push({ from, to, tickets: to - from + 1, pages, url: `/api/batches/${ID}/tickets.pdf?layout=${layout}&from=${from}&to=${to}` })
  }
  return { batchId: ID, layout, maxTicketsPerFile: 5000, parts }
}

function listing(quantity: number): ListPdfParts & { calls: string[] } {
  const calls: string[] = []
  const list = async (batchId: string, layout: TicketLayout) => {
    calls.push(`${batchId} ${layout}`)
    return partsOf(quantity, layout)
  }
  return Object.assign(list, { calls })
}

const refusing =
  (error: unknown): ListPdfParts =>
  async () =>
    Promise.reject(error)

test('a PDF of at most 5,000 tickets is saved in one click, in the layout chosen', async () => {
  const list = listing(5000)
  assert.deepEqual(await planPdfDownload(list, ID, 'a4-8'), {
    kind: 'save',
    url: `/api/batches/${ID}/tickets.pdf?layout=a4-8&from=0&to=4999`,
  })
  assert.deepEqual(list.calls, [`${ID} a4-8`])
})

test('a batch of more than 5,000 tickets offers its parts instead of a download', async () => {
  const plan = await planPdfDownload(listing(12_001), ID, 'single')
  assert.ok(plan.kind === 'choose', plan.kind)
  assert.equal(plan.parts.parts.length, 3)
  assert.equal(partsNote(plan.parts), 'This batch prints as 3 PDF files of at most 5,000 tickets each.')
  assert.deepEqual(plan.parts.parts.map(partLabel), [
    'Tickets 0–4,999 (5,000 pages)',
    'Tickets 5,000–9,999 (5,000 pages)',
    'Tickets 10,000–12,000 (2,001 pages)',
  ])
})

test('part labels count A4 sheets, and a part of one ticket reads as one', () => {
  const [first, last] = partsOf(5001, 'a4-8').parts
  assert.equal(partLabel(first!), 'Tickets 0–4,999 (625 pages)')
  assert.equal(partLabel(last!), 'Ticket 5,000 (1 page)')
})

test('the CSV, or a part, is saved only once the server agrees it can be had', async () => {
  const list = listing(20)
  assert.deepEqual(await planFileDownload(list, ID, csvUrl(ID)), { kind: 'save', url: `/api/batches/${ID}/tickets.csv` })
  assert.equal(list.calls.length, 1)
})

test('an ended session asks for a sign-in and starts no download', async () => {
  const expired = new ApiError(401, 'SESSION_EXPIRED', 'the session has expired or was ended; sign in again')
  for (const plan of [await planFileDownload(refusing(expired), ID, csvUrl(ID)), await planPdfDownload(refusing(expired), ID, 'single')]) {
    assert.deepEqual(plan, {
      kind: 'problem',
      sessionEnded: true,
      message: 'Your session has ended. Sign in again, then download the tickets.',
    })
  }
})

test('other refusals and an unreachable server say what happened, and keep the session', async () => {
  const cases: [unknown, RegExp][] = [
    [
      new ApiError(409, 'BATCH_NOT_COMPLETED', `batch ${ID} is cancelled: only a completed batch can be printed`),
      /cannot be downloaded: batch .* is cancelled/,
    ],
    [new ApiError(404, 'BATCH_NOT_FOUND', `batch ${ID} not found`), /does not show this batch to this account/],
    [new ApiError(503, 'STORAGE_UNAVAILABLE', 'the database is busy'), /server answered 503 \(the database is busy\)\. Try again/],
    [new TypeError('Failed to fetch'), /could not be reached/],
  ]
  for (const [error, message] of cases) {
    const plan = await planFileDownload(refusing(error), ID, csvUrl(ID))
    assert.ok(plan.kind === 'problem' && !plan.sessionEnded, String(error))
    assert.match(plan.message, message)
  }
})
