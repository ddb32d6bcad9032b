// Ticket lookup for the box office: from a token (pasted, typed or scanned) or a ticket number
// read off a ticket, the ticket's event, type, price and batch, and what has happened to it.
import { decodeToken, formatTicketNumber, type TicketLookup } from '@boxoffice/tickets'
import { canViewBatch } from '../batches/batch-access.ts'
import type { SignedInAccount } from '../auth/sessions.ts'
import type { CheckinRepository } from '../db/checkin-repository.ts'
import type { BatchRecord, TicketRepository } from '../db/ticket-repository.ts'
import { InvalidRequest, TicketNotFound } from '../errors.ts'
import type { ChunkVerifier } from '../verification/chunk-verifier.ts'
import { checkToken } from './token-check.ts'

export interface TicketLookupDeps {
  repository: TicketRepository
  checkins: CheckinRepository
  verifier: ChunkVerifier
}

const TICKET_NUMBER = /^([0-9a-f]{8})-(\d{1,7})$/i

export async function lookUpTicket(deps: TicketLookupDeps, query: string, account: SignedInAccount): Promise<TicketLookup> {
  const text = query.trim()
  const number = TICKET_NUMBER.exec(text)
  const { batch, serial } = number
    ? await byTicketNumber(deps, number[1]!.toLowerCase(), Number(number[2]), account)
    : await byToken(deps, text)
  if (!canViewBatch(batch, account))
    throw new TicketNotFound(`no ticket ${formatTicketNumber(batch.id, serial)} among the batches this account may see`)
  if (serial >= batch.quantity) {
    throw new TicketNotFound(`batch ${batch.id} has no ticket ${serial}; its serials are 0–${batch.quantity - 1}`)
  }
  const issued = (await deps.repository.ticketToken(batch.id, serial)) !== undefined
  const { checkin, revocation } = await deps.checkins.ticketState(batch.id, serial)
  return {
    ticketNumber: formatTicketNumber(batch.id, serial),
    batchId: batch.id,
    serial,
    event: batch.event,
    ticketType: batch.ticketType,
    price: { amountMinor: batch.priceMinor, currency: batch.currency },
    batchState: batch.state,
    state: revocation ? 'revoked' : checkin ? 'checked-in' : issued ? 'issued' : 'not-issued',
    checkin: checkin ? { checkedInAt: checkin.checkedInAt, device: checkin.deviceId, recordedBy: checkin.recordedByUsername } : null,
    revocation: revocation
      ? {
          revokedAt: revocation.revokedAt,
          revokedBy: revocation.revokedByUsername,
          reason: revocation.reason,
          wholeBatch: revocation.serial === null,
        }
      : null,
  }
}

async function byTicketNumber(
  { repository }: TicketLookupDeps,
  prefix: string,
  serial: number,
  account: SignedInAccount,
): Promise<{ batch: BatchRecord; serial: number }> {
  const batches = (await repository.batchesWithIdPrefix(prefix, 10)).filter((batch) => canViewBatch(batch, account))
  const number = formatTicketNumber(prefix, serial)
  if (batches.length === 0) throw new TicketNotFound(`no batch this account may see has ticket numbers starting ${prefix.toUpperCase()}`)
  if (batches.length > 1) {
    throw new InvalidRequest(
      `${batches.length} batches have ticket numbers starting ${prefix.toUpperCase()}; paste or scan the token of ${number} instead`,
    )
  }
  return { batch: batches[0]!, serial }
}

async function byToken(deps: TicketLookupDeps, token: string): Promise<{ batch: BatchRecord; serial: number }> {
  const decoded = decodeToken(token)
  if (!decoded.ok) {
    throw new InvalidRequest(`this is neither a ticket number (such as 3F1C2A4E-0000042) nor a ticket's token: ${decoded.message}`)
  }
  const checked = await checkToken(deps, token)
  if (!checked.valid && (checked.reason === 'UNKNOWN_BATCH' || checked.reason === 'BAD_SIGNATURE'))
    throw new TicketNotFound(checked.message)
  const batch = await deps.repository.getBatch(decoded.payload.batchId)
  if (!batch) throw new TicketNotFound(`batch ${decoded.payload.batchId} is not known to this server`)
  return { batch, serial: decoded.payload.serial }
}
