// Both exports must produce only as fast as the client reads: a client that stops reading must
// stop the database reads too, so a huge batch never ends up in memory.
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { Writable, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { after, test } from 'node:test'
import type { BatchRecord, StoredTicket } from '../db/ticket-repository.ts'
import { ticketsCsv } from './csv-export.ts'
import { printedBatch } from './pdf-export.ts'
import { PdfRenderPool } from './pdf-render-pool.ts'

const batch = {
  id: '3f1c2a4e-8b7d-4c6a-9e21-5d0f7a9b1c23',
  event: 'Gala',
  ticketType: 'General admission',
  priceMinor: 4500,
  currency: 'EUR',
  quantity: 1_000_000,
} as BatchRecord

// The PDF is drawn in a worker thread; the pool is what the export route uses.
const pool = new PdfRenderPool({ threads: 1 })
after(() => pool.close())
const ticketsPdf = (tickets: AsyncIterable<StoredTicket[]>, layout: 'single' | 'a4-8') =>
  pool.render(printedBatch(batch), tickets, layout, 'title')

/** A million tickets in pages of `pageSize`, counting how many were pulled and whether the reader let go. */
function lazyTickets(pageSize: number) {
  const seen = { tickets: 0, closed: false }
  async function* pages(): AsyncGenerator<StoredTicket[]> {
    try {
      for (let first = 0; first < batch.quantity; first += pageSize) {
        seen.tickets += pageSize
        yield Array.from({ length: pageSize }, (_, i) => ({ serial: first + i, token: 'A'.repeat(165) }))
      }
    } finally {
      seen.closed = true
    }
  }
  return { seen, pages: pages() }
}

/** Reads one chunk, then stops reading and lets the stream run as far as it will. */
async function readOneChunkThenStall(stream: Readable) {
  await once(stream, 'readable')
  assert.ok(stream.read() !== null)
  for (let turn = 0; turn < 50; turn++) await nextTurn()
}

test('the CSV reads ticket pages only as fast as the client takes the text, and stops when it goes away', async () => {
  const { seen, pages } = lazyTickets(1000)
  const csv = ticketsCsv(batch, pages)
  await readOneChunkThenStall(csv)
  assert.ok(seen.tickets <= 5000, `pulled ${seen.tickets} of 1,000,000 tickets`)
  csv.destroy()
  await nextTurn()
  assert.equal(seen.closed, true)
})

test('the PDF draws pages only as fast as the client takes them, and stops when it goes away', async () => {
  const { seen, pages } = lazyTickets(100)
  const pdf = ticketsPdf(pages, 'single')
  await readOneChunkThenStall(pdf)
  // About 2 KB a page: the 256 KB output buffer holds a few hundred pages, not a million; the
  // worker holds one message of 40 tickets at a time.
  assert.ok(seen.tickets <= 1000, `pulled ${seen.tickets} of 1,000,000 tickets`)
  pdf.destroy()
  for (let turn = 0; turn < 5; turn++) await nextTurn()
  assert.equal(seen.closed, true)
})

test('a slow reader, taking 16 KB at a time a turn apart, still gets every byte of both exports', { timeout: 60_000 }, async () => {
  const exports: [string, (pages: AsyncIterable<StoredTicket[]>) => Readable, (text: string) => boolean][] = [
    ['CSV', (pages) => ticketsCsv(batch, pages), (text) => text.split('\r\n').length === 3002],
    ['PDF', (pages) => ticketsPdf(pages, 'a4-8'), (text) => text.endsWith('%%EOF\n')],
  ]
  for (const [name, makeExport, isWhole] of exports) {
    const { pages } = lazyTickets(100)
    async function* thirtyPages() {
      let count = 0
      for await (const page of pages) {
        yield page
        if (++count === 30) return
      }
    }
    const received: Buffer[] = []
    const slowReader = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _encoding, done) {
        received.push(chunk)
        setImmediate(done)
      },
    })
    await pipeline(makeExport(thirtyPages()), slowReader)
    const text = Buffer.concat(received).toString('latin1')
    assert.ok(isWhole(text), `${name} ends ${JSON.stringify(text.slice(-20))}`)
  }
})
