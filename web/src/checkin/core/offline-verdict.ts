// The offline answer for a scanned token: what the server would say, as far as this device can
// know it from the kit (keys, quantities, revocations as of the last fetch) and its own check-ins.
// It cannot know of check-ins on other devices: those show as conflicts after the sync.
import { decodeToken, formatTicketNumber, verifyToken } from '@boxoffice/tickets'
import type { CheckinVerdict, TicketRef } from './checkin-verdict.ts'
import type { LocalCheckin } from '../ports.ts'
import { inRanges, type OfflineKit } from './offline-kit.ts'

/** The ticket a token names, read without checking its signature; undefined when it names none. */
export function namedTicket(token: string): { batchId: string; serial: number } | undefined {
  const decoded = decodeToken(token)
  return decoded.ok ? { batchId: decoded.payload.batchId, serial: decoded.payload.serial } : undefined
}

export interface OfflineScan {
  token: string
  kit: OfflineKit
  /** This device's record of the ticket the token names (see namedTicket), if any. */
  local: LocalCheckin | undefined
  /** When a `valid` answer admits the ticket. */
  checkedInAt: string
  /** This device's id: the device of its own earlier check-ins. */
  deviceId: string
  /** Batches of other events than the kit's, by id, with their event's name (CheckinKit.otherBatches). */
  otherEvents?: ReadonlyMap<string, string>
}

export async function offlineVerdict({ token, kit, local, checkedInAt, deviceId, otherEvents }: OfflineScan): Promise<CheckinVerdict> {
  const decoded = decodeToken(token)
  if (!decoded.ok) return { result: 'invalid', reason: decoded.reason, message: decoded.message, decidedBy: 'device' }
  const { batchId, serial, ticketType } = decoded.payload
  const entry = kit.get(batchId)
  const otherEvent = otherEvents?.get(batchId)
  // Known only by its batch id, not its key: last week's ticket is refused by name, whatever its signature.
  if (!entry && otherEvent !== undefined) {
    return { result: 'invalid', reason: 'WRONG_EVENT', message: `Wrong event: ${otherEvent}`, decidedBy: 'device' }
  }
  if (!entry) {
    return {
      result: 'invalid',
      reason: 'NOT_PREPARED',
      message: `batch ${batchId} is not prepared for offline check-in on this device; check this ticket once the network is back`,
      decidedBy: 'device',
    }
  }
  const verdict = await verifyToken(token, { batchId, publicKey: entry.publicKey })
  if (!verdict.ok) return { result: 'invalid', reason: verdict.reason, message: verdict.message, decidedBy: 'device' }

  const { batch } = entry
  const ticket: TicketRef = { batchId, serial, ticketType, event: batch.event, price: batch.price }
  const number = formatTicketNumber(batchId, serial)
  // A good signature over a serial the batch never had, or another type, is still no ticket.
  if (serial >= batch.quantity) {
    return {
      result: 'invalid',
      reason: 'NOT_ISSUED',
      message: `batch ${batchId} has ${batch.quantity} tickets; serial ${serial} was never issued`,
      ticket,
      decidedBy: 'device',
    }
  }
  if (ticketType !== batch.ticketType) {
    return {
      result: 'invalid',
      reason: 'NOT_ISSUED',
      message: `ticket ${number} names type "${ticketType}"; its batch issues "${batch.ticketType}"`,
      ticket,
      decidedBy: 'device',
    }
  }
  if (batch.revoked) {
    const when = batch.revokedAt ? ` at ${batch.revokedAt}` : ''
    return {
      result: 'invalid',
      reason: 'BATCH_CANCELLED',
      message: `batch ${batchId} was revoked${when}; none of its tickets may enter`,
      ticket,
      decidedBy: 'device',
    }
  }
  if (inRanges(batch.revokedSerials, serial)) {
    return { result: 'invalid', reason: 'REVOKED', message: `ticket ${number} was revoked`, ticket, decidedBy: 'device' }
  }
  // A record the server refused (`invalid`) let nobody in. After a conflict the server's first
  // check-in is the one to name.
  if (local?.sync === 'conflict' && local.firstCheckedInAt !== undefined) {
    return {
      result: 'already-checked-in',
      checkedInAt: local.firstCheckedInAt,
      deviceId: local.firstDeviceId ?? null,
      ticket,
      decidedBy: 'device',
    }
  }
  if (local && local.sync !== 'invalid') {
    return { result: 'already-checked-in', checkedInAt: local.checkedInAt, deviceId, ticket, decidedBy: 'device' }
  }
  return { result: 'valid', checkedInAt, ticket, decidedBy: 'device' }
}
