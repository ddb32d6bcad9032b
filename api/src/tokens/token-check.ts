// Is this token a ticket the server issued? Signature validity alone is not enough: the server is
// the authority on which tickets exist, so a token counts only once its chunk was committed.
import { decodeToken, type VerifyTokenResult } from '@boxoffice/tickets'
import type { TicketRepository } from '../db/ticket-repository.ts'
import type { ChunkVerifier } from '../verification/chunk-verifier.ts'

export interface TokenCheckDeps {
  repository: TicketRepository
  verifier: ChunkVerifier
}

export async function checkToken(
  { repository, verifier }: TokenCheckDeps,
  token: string,
  expectedBatchId?: string,
): Promise<VerifyTokenResult> {
  const decoded = decodeToken(token)
  if (!decoded.ok) return { valid: false, reason: decoded.reason, message: decoded.message }
  const { batchId, serial, ticketType } = decoded.payload
  if (expectedBatchId !== undefined && batchId !== expectedBatchId) {
    return { valid: false, reason: 'WRONG_BATCH', message: `token belongs to batch ${batchId}, not ${expectedBatchId}` }
  }
  const batch = await repository.getBatch(batchId)
  if (!batch) return { valid: false, reason: 'UNKNOWN_BATCH', message: `batch ${batchId} is not known to this server` }

  const [problem] = await verifier.verifyChunk({ batchId, ticketType: batch.ticketType, publicKey: batch.publicKey }, [{ serial, token }])
  if (problem?.reason === 'BAD_SIGNATURE') {
    return { valid: false, reason: 'BAD_SIGNATURE', message: 'token signature does not match the batch key' }
  }
  // From here the signature is good, so the ticket the token names is worth showing.
  const ticket = {
    batchId,
    serial,
    ticketType,
    event: batch.event,
    price: { amountMinor: batch.priceMinor, currency: batch.currency },
  }
  if (problem) return { valid: false, reason: 'NOT_ISSUED', message: problem.message, ticket }
  // Whoever holds the batch key can sign any serial; only 0 … quantity − 1 can ever be issued.
  if (serial >= batch.quantity) {
    const message = `serial ${serial.toLocaleString('en-US')} is outside batch ${batchId}, whose serials are 0–${(batch.quantity - 1).toLocaleString('en-US')}`
    return { valid: false, reason: 'NOT_ISSUED', message, ticket }
  }
  const stored = await repository.ticketToken(batchId, serial)
  const label = `serial ${serial.toLocaleString('en-US')} of batch ${batchId}`
  if (stored === undefined) {
    return { valid: false, reason: 'NOT_ISSUED', message: `the server holds no ticket with ${label}`, ticket }
  }
  if (stored !== token) {
    return { valid: false, reason: 'NOT_ISSUED', message: `the server holds a different token for ${label}`, ticket }
  }
  return { valid: true, ticket }
}
