// Printable tickets, drawn a few sheets at a time: memory holds the tickets of one message, one
// sheet and the bytes not yet handed on, whether the file has 10 pages or 5,000. Runs inside a PDF
// worker thread (pdf-worker.ts): pdfkit is synchronous CPU work that would stall every other
// request if it ran on the server's main thread.
import PDFDocument from 'pdfkit'
import { formatTicketNumber, formatTicketPrice, type TicketLayout } from '@boxoffice/tickets'
import type { BatchRecord, StoredTicket } from '../db/ticket-repository.ts'
import { PAGE_LAYOUTS, type PageLayout, type PrintedTicket } from './pdf-ticket-layout.ts'

/** What of a batch is printed on its tickets. */
export type PrintedBatch = Pick<BatchRecord, 'id' | 'event' | 'ticketType' | 'priceMinor' | 'currency'>

export function printedBatch({ id, event, ticketType, priceMinor, currency }: BatchRecord): PrintedBatch {
  return { id, event, ticketType, priceMinor, currency }
}

function drawPage(doc: PDFKit.PDFDocument, layout: PageLayout, batch: PrintedBatch, tickets: readonly StoredTicket[]) {
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

/** pdfkit hands written bytes over from process.nextTick; a macrotask later they have all arrived. */
const afterPendingWrites = () => new Promise<void>((resolveTurn) => setImmediate(resolveTurn))

/**
 * One PDF being written. `add` draws every full sheet the tickets make (a partial one waits for
 * more tickets or `finish`) and returns the bytes pdfkit has written since the last call.
 */
export class PdfTicketWriter {
  readonly #doc: PDFKit.PDFDocument
  readonly #layout: PageLayout
  readonly #batch: PrintedBatch
  readonly #written: Uint8Array[] = []
  readonly #ended: Promise<unknown>
  #sheet: StoredTicket[] = []

  constructor(batch: PrintedBatch, layoutName: TicketLayout, title: string) {
    this.#batch = batch
    this.#layout = PAGE_LAYOUTS[layoutName]
    this.#doc = new PDFDocument({ autoFirstPage: false, margin: 0, info: { Title: title, Creator: 'Boxoffice' } })
    this.#doc.on('data', (chunk: Uint8Array) => this.#written.push(chunk))
    this.#ended = new Promise((resolveEnd, reject) => this.#doc.on('end', resolveEnd).on('error', reject))
  }

  async add(tickets: readonly StoredTicket[]): Promise<Uint8Array> {
    const perSheet = this.#layout.boxes.length
    for (const ticket of tickets) {
      this.#sheet.push(ticket)
      if (this.#sheet.length === perSheet) {
        drawPage(this.#doc, this.#layout, this.#batch, this.#sheet)
        this.#sheet = []
      }
    }
    await afterPendingWrites()
    return this.#takeWritten()
  }

  /** Draws the last, partial sheet, ends the document and returns its remaining bytes. */
  async finish(): Promise<Uint8Array> {
    if (this.#sheet.length > 0) drawPage(this.#doc, this.#layout, this.#batch, this.#sheet)
    this.#sheet = []
    this.#doc.end()
    await this.#ended
    await afterPendingWrites()
    return this.#takeWritten()
  }

  /** One fresh buffer (never a slice of Node's shared pool), so it can be transferred to another thread. */
  #takeWritten(): Uint8Array {
    const chunks = this.#written.splice(0)
    const bytes = new Uint8Array(chunks.reduce((total, chunk) => total + chunk.length, 0))
    let offset = 0
    for (const chunk of chunks) {
      bytes.set(chunk, offset)
      offset += chunk.length
    }
    return bytes
  }
}
