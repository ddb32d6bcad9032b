// Chunks for verifier tests: one ticket of every kind a verifier must refuse.
import { decodeBase32, encodeBase32 } from '@boxoffice/tickets'
import { forgeWithBatchKey, makeTestBatch, tamperToken, type TestBatch } from '../../test/helper.ts'
import type { BatchKey, TicketToVerify } from './chunk-verifier.ts'

export function keyOf(batch: TestBatch): BatchKey {
  return { batchId: batch.id, ticketType: batch.ticketType, publicKey: batch.body.publicKey }
}

/** Serials 0–6 of `batch`: 0 is good, 1–6 are bad in the order of `expectedReasons`. */
export async function chunkWithEveryKindOfBadTicket(batch: TestBatch): Promise<TicketToVerify[]> {
  const other = await makeTestBatch()
  const tickets = (await batch.chunk(0)).tickets.slice(0, 7)
  tickets[1] = { serial: 1, token: 'AE' } // version 1, then nothing
  tickets[2] = { serial: 2, token: tamperToken(tickets[2]!.token) }
  tickets[3] = { serial: 3, token: await other.token(3) }
  tickets[4] = { serial: 4, token: await batch.token(5) }
  tickets[5] = { serial: 5, token: await forgeWithBatchKey(batch, { ticketType: 'VIP' })(5) }
  const withVersion2 = decodeBase32(tickets[6]!.token)!
  withVersion2[0] = 2
  tickets[6] = { serial: 6, token: encodeBase32(withVersion2) }
  return tickets
}

export const expectedReasons = [
  [1, 'BAD_ENCODING'],
  [2, 'BAD_SIGNATURE'],
  [3, 'WRONG_BATCH'],
  [4, 'SERIAL_MISMATCH'],
  [5, 'WRONG_TICKET_TYPE'],
  [6, 'UNKNOWN_VERSION'],
] as const
