// Printable tickets, generated page by page as the client reads them: memory holds one page of
// ticket rows from the database, one sheet and the output buffer, whether the file has 10 pages or 5,000.
import { Readable } from 'node:stream'
import PDFDocument from 'pdfkit'
import { formatTicketNumber, formatTicketPrice, type TicketLayout } from '@boxoffice/tickets'
import type { BatchRecord, StoredTicket } from '../db/ticket-repository.ts'
import { PAGE_LAYOUTS, type PageLayout, type PrintedTicket } from './pdf-ticket-layout.ts'

/** Bytes of finished PDF kept ready for the client before drawing stops and waits for it. */
const OUTPUT_BUFFER_BYTES = 256 * 1024

/** Regroups pages of rows into groups of `size` (one sheet's worth), the last maybe shorter. */
async function* groupsOf<T>(pages: AsyncIterable<T[]>, size: number): AsyncGenerator<T[]> {
  let group: T[] = []
  for await (const page of pages) {
    for (const item of page) {
      group.push(item)
      if (group.length === size) {
        yield group
        group = []
      }
    }
  }
  if (group.length > 0) yield group
}

function drawPage(doc: PDFKit.PDFDocument, layout: PageLayout, batch: BatchRecord, tickets: StoredTicket[]) {
  // Adding a page writes out the previous one (pdfkit's default, bufferPages off), compressed.
  doc.addPage({ size: layout.size, margin: 0 })
  layout.decorate?.(doc)
  const price = formatTicketPrice({ amountMinor: batch.priceMinor, currency: batch.currency })
  tickets.forEach((ticket, index) => {
    const printed: PrintedTicket = {
      event: batch.event,
      ticketType: batch.ticketType,
      price,
      ticketNumber: formatTicketNumber(batch.id, ticket.serial),
      token: ticket.token,
    }
    layout.draw(doc, printed, layout.boxes[index]!)
  })
}

/**
 * The batch's tickets as a PDF stream. A page is drawn only when the client has taken what came
 * before (Readable.from pulls the generator on demand), so a slow download cannot pile up pages.
 */
export function ticketsPdf(batch: BatchRecord, tickets: AsyncIterable<StoredTicket[]>, layoutName: TicketLayout, title: string): Readable {
  const layout = PAGE_LAYOUTS[layoutName]
  async function* pdfBytes(): AsyncGenerator<Uint8Array> {
    const doc = new PDFDocument({ autoFirstPage: false, margin: 0, info: { Title: title, Creator: 'Boxoffice' } })
    // pdfkit writes while a page is added (the previous one is flushed) or the document ended, and
    // may hand the bytes over a tick later: collect them, pass them on with the next page.
    const written: Uint8Array[] = []
    doc.on('data', (chunk: Uint8Array) => written.push(chunk))
    const ended = new Promise((resolveEnd, reject) => doc.on('end', resolveEnd).on('error', reject))
    for await (const sheet of groupsOf(tickets, layout.boxes.length)) {
      drawPage(doc, layout, batch, sheet)
      if (written.length > 0) yield Buffer.concat(written.splice(0))
    }
    doc.end()
    await ended
    if (written.length > 0) yield Buffer.concat(written.splice(0))
  }
  return Readable.from(pdfBytes(), { objectMode: false, highWaterMark: OUTPUT_BUFFER_BYTES })
}
