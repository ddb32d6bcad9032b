// A batch's tickets as CSV (RFC 4180: comma-separated, CRLF line ends, fields quoted when needed),
// produced a page of rows at a time as the client reads it.
import { Readable } from 'node:stream'
import { formatTicketNumber, formatTicketPrice } from '@boxoffice/tickets'
import type { BatchRecord, StoredTicket } from '../db/ticket-repository.ts'

export const CSV_COLUMNS = ['serial', 'ticket_number', 'token', 'event', 'ticket_type', 'price'] as const

/** Bytes of CSV kept ready for the client before reading more rows waits for it. */
const OUTPUT_BUFFER_BYTES = 64 * 1024

/** What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection"). */
const FORMULA_START = /^[=+\-@\t\r]/

/**
 * A field quoted (quotes doubled) when it holds a comma, quote, line break or edge space; as is
 * otherwise. A field a spreadsheet would run as a formula (an event named `=HYPERLINK(…)`, in a
 * file that also holds entry tokens) gets a leading `'` and is quoted, as OWASP advises, so it
 * opens as text. Only user-typed text can start so: serials, ticket numbers, tokens and prices cannot.
 */
export function csvField(value: string): string {
  if (FORMULA_START.test(value)) return `"'${value.replaceAll('"', '""')}"`
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value
}

export function csvLine(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`
}

/**
 * Header, then one row per ticket in the order `tickets` yields them. Values are written as stored,
 * except that a formula-like event or ticket type gets its leading `'` (see csvField).
 */
export function ticketsCsv(batch: BatchRecord, tickets: AsyncIterable<StoredTicket[]>): Readable {
  // Serial, ticket number and token are digits, A–Z, 2–7 and dashes: never quoted.
  const sameForEveryTicket = [batch.event, batch.ticketType, formatTicketPrice({ amountMinor: batch.priceMinor, currency: batch.currency })]
    .map(csvField)
    .join(',')
  async function* lines() {
    yield csvLine(CSV_COLUMNS)
    for await (const page of tickets) {
      let text = ''
      for (const { serial, token } of page) text += `${serial},${formatTicketNumber(batch.id, serial)},${token},${sameForEveryTicket}\r\n`
      yield text
    }
  }
  // Readable.from pulls the next page only when the client has taken what was read before.
  return Readable.from(lines(), { objectMode: false, highWaterMark: OUTPUT_BUFFER_BYTES })
}
