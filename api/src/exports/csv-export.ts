// A batch's tickets as CSV (RFC 4180: comma-separated, CRLF line ends, fields quoted when needed),
// produced a page of rows at a time as the client reads it.
import { Readable } from 'node:stream'
import { formatTicketNumber, formatTicketPrice } from '@boxoffice/tickets'
import type { BatchRecord, StoredTicket } from '../db/ticket-repository.ts'

export const CSV_COLUMNS = ['serial', 'ticket_number', 'token', 'event', 'ticket_type', 'price'] as const

/** Bytes of CSV kept ready for the client before reading more rows waits for it. */
const OUTPUT_BUFFER_BYTES = 64 * 1024

/** A field quoted (quotes doubled) when it holds a comma, quote, line break or edge space; as is otherwise. */
export function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value
}

export function csvLine(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`
}

/**
 * Header, then one row per ticket in the order `tickets` yields them. Values are written as stored:
 * nothing is prefixed to defuse spreadsheet formulas, so the file matches the database.
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
