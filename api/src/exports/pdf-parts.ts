// A PDF file holds at most MAX_TICKETS_PER_PDF tickets; a larger batch is offered as several files
// by serial range, so that no single download (or print job) becomes unreasonable.
import { MAX_TICKETS_PER_PDF, TICKETS_PER_PAGE, type PdfParts, type Range, type TicketLayout } from '@boxoffice/tickets'
import type { BatchRecord } from '../db/ticket-repository.ts'
import { ExportRangeInvalid, ExportRangeTooLarge, withDetails } from '../errors.ts'

export function pdfUrl(batchId: string, layout: TicketLayout, [from, to]: Range): string {
  return `/api/batches/${batchId}/tickets.pdf?layout=${layout}&from=${from}&to=${to}`
}

/** The serials asked for (default: the whole batch), refused unless within the batch and one file's worth. */
export function pdfRange(batch: BatchRecord, layout: TicketLayout, from = 0, to = batch.quantity - 1): Range {
  const last = batch.quantity - 1
  if (from > to || to > last) {
    throw new ExportRangeInvalid(`serials ${from}–${to} are not a range within batch ${batch.id}, whose serials are 0–${last}`)
  }
  const tickets = to - from + 1
  if (tickets > MAX_TICKETS_PER_PDF) {
    throw withDetails(
      new ExportRangeTooLarge(
        `${tickets.toLocaleString('en-US')} tickets is more than one PDF holds (${MAX_TICKETS_PER_PDF.toLocaleString('en-US')}); ` +
          `ask for a range with from and to, as listed by GET /api/batches/${batch.id}/tickets.pdf/parts`,
      ),
      { maxTicketsPerFile: MAX_TICKETS_PER_PDF, partsUrl: `/api/batches/${batch.id}/tickets.pdf/parts?layout=${layout}` },
    )
  }
  return [from, to]
}

export function pdfParts(batch: BatchRecord, layout: TicketLayout): PdfParts {
  const parts: PdfParts['parts'] = []
  for (let from = 0; from < batch.quantity; from += MAX_TICKETS_PER_PDF) {
    const to = Math.min(from + MAX_TICKETS_PER_PDF, batch.quantity) - 1
    const tickets = to - from + 1
    parts.push({ from, to, tickets, pages: Math.ceil(tickets / TICKETS_PER_PAGE[layout]), url: pdfUrl(batch.id, layout, [from, to]) })
  }
  return { batchId: batch.id, layout, maxTicketsPerFile: MAX_TICKETS_PER_PDF, parts }
}
