// The one definition of "a valid ticket of this batch", shared by the in-process verifier and the
// worker threads, so that both report exactly the same problems.
import { decodeToken } from '@boxoffice/tickets'
import type { BatchKey, TicketProblem, TicketToVerify } from './chunk-verifier.ts'
import type { PublicKeyCache } from './public-key-cache.ts'

/** One problem per bad ticket, in input order; empty when every ticket is good. */
export function checkChunk(keys: PublicKeyCache, batch: BatchKey, tickets: readonly TicketToVerify[]): TicketProblem[] {
  const problems: TicketProblem[] = []
  for (const ticket of tickets) {
    const problem = checkTicket(keys, batch, ticket)
    if (problem) problems.push(problem)
  }
  return problems
}

/**
 * Checks, in order: encoding, format version, batch, serial, signature, ticket type. The signature
 * comes before the type so that a well-signed token of another type is reported as such.
 */
export function checkTicket(keys: PublicKeyCache, batch: BatchKey, ticket: TicketToVerify): TicketProblem | undefined {
  const { serial } = ticket
  const decoded = decodeToken(ticket.token)
  if (!decoded.ok) return { serial, reason: decoded.reason, message: decoded.message }
  const { payload } = decoded
  if (payload.batchId !== batch.batchId) {
    return { serial, reason: 'WRONG_BATCH', message: `token belongs to batch ${payload.batchId}` }
  }
  if (payload.serial !== serial) {
    return { serial, reason: 'SERIAL_MISMATCH', message: `token is for serial ${payload.serial.toLocaleString('en-US')}` }
  }
  if (!keys.check.verify(decoded.signedBytes, decoded.signature, keys.keyFor(batch.batchId, batch.publicKey))) {
    return { serial, reason: 'BAD_SIGNATURE', message: 'token signature invalid' }
  }
  if (payload.ticketType !== batch.ticketType) {
    return {
      serial,
      reason: 'WRONG_TICKET_TYPE',
      message: `token is for ticket type ${JSON.stringify(payload.ticketType)}, not ${JSON.stringify(batch.ticketType)}`,
    }
  }
  return undefined
}
