// The words the Check-in page shows for a verdict. Pure, so every wording is unit-tested.
import { formatTicketNumber, formatTicketPrice } from '@boxoffice/tickets'
import type { CheckinVerdict, RefusalReason } from './checkin-verdict.ts'

export type Headline = 'Valid' | 'Already checked in' | 'Invalid'

export function headline(verdict: CheckinVerdict): Headline {
  return verdict.result === 'valid' ? 'Valid' : verdict.result === 'already-checked-in' ? 'Already checked in' : 'Invalid'
}

const REFUSALS: Record<RefusalReason, string> = {
  BAD_ENCODING: 'Not a ticket code',
  UNKNOWN_VERSION: 'Not a ticket code this system knows',
  BAD_SIGNATURE: 'Forged or altered ticket: the signature does not match',
  WRONG_BATCH: 'A ticket of another batch',
  UNKNOWN_BATCH: 'Unknown batch: not a ticket issued here',
  NOT_ISSUED: 'Never issued: no such ticket in its batch',
  REVOKED: 'Revoked ticket',
  BATCH_CANCELLED: 'Its batch was cancelled or revoked',
  BATCH_NOT_COMPLETED: 'Its batch is not completed yet',
  NOT_PREPARED: 'Batch not prepared for offline check-in on this device',
  WRONG_EVENT: 'Wrong event: not a ticket for the event this gate admits',
}

export function refusalText(reason: RefusalReason): string {
  return REFUSALS[reason]
}

/** "this device", "device gate-1", or "a device that gave no id". */
export function deviceLabel(deviceId: string | null, ownDeviceId: string | null): string {
  if (deviceId === null) return 'a device that gave no id'
  return deviceId === ownDeviceId ? 'this device' : `device ${deviceId}`
}

/** "19:30:05, 29 Nov 2026" in the device's time zone (or `timeZone`); the ISO text if unreadable. */
export function formatCheckinTime(iso: string, timeZone?: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  const zone = timeZone === undefined ? {} : { timeZone }
  const time = date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false, ...zone })
  const day = date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', ...zone })
  return `${time}, ${day}`
}

/** The line under the headline: what happened, when, where it was decided. */
export function verdictDetail(verdict: CheckinVerdict, ownDeviceId: string | null, timeZone?: string): string {
  switch (verdict.result) {
    case 'valid':
      return verdict.decidedBy === 'device'
        ? `Checked in offline on this device at ${formatCheckinTime(verdict.checkedInAt, timeZone)}; waiting to sync.`
        : `Checked in at ${formatCheckinTime(verdict.checkedInAt, timeZone)}.`
    case 'already-checked-in': {
      const known = verdict.decidedBy === 'device' ? ' (as this device knows offline)' : ''
      return `First checked in at ${formatCheckinTime(verdict.checkedInAt, timeZone)} by ${deviceLabel(verdict.deviceId, ownDeviceId)}${known}.`
    }
    case 'invalid':
      return `${refusalText(verdict.reason)}.`
  }
}

export interface TicketLine {
  number: string
  event?: string
  ticketType: string
  price?: string
}

export function ticketLine(verdict: CheckinVerdict): TicketLine | undefined {
  const { ticket } = verdict
  if (!ticket) return undefined
  return {
    number: formatTicketNumber(ticket.batchId, ticket.serial),
    ticketType: ticket.ticketType,
    ...(ticket.event === undefined ? {} : { event: ticket.event }),
    ...(ticket.price === undefined ? {} : { price: formatTicketPrice(ticket.price) }),
  }
}

/** "No check-ins waiting to sync", "1 check-in waiting to sync", "3 check-ins waiting to sync". */
export function pendingText(count: number): string {
  if (count === 0) return 'No check-ins waiting to sync'
  return `${count.toLocaleString('en-US')} ${count === 1 ? 'check-in' : 'check-ins'} waiting to sync`
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** What the Check-in page says when something went wrong; `error` gives the reason. */
export const CHECKIN_PROBLEMS = {
  emptyToken: 'Enter or scan a ticket token.',
  scanSessionEnded: 'Your session ended. Sign in again to check tickets in.',
  notCheckedIn: (error: unknown) => `Not checked in: ${reasonOf(error)}. Do not admit this ticket yet; try again.`,
  syncFailed: (error: unknown) => `${reasonOf(error)}. The check-ins stay on this device and are sent again.`,
  syncSessionEnded: 'Your session ended. Sign in again to sync; the check-ins stay on this device.',
  deviceRevoked: (error: unknown) =>
    `This device was revoked by an admin (${reasonOf(error)}). Do not admit anyone with it: its check-ins are not accepted.`,
  eventListFailed: (error: unknown) => `Could not load the events (${reasonOf(error)}).`,
  noEventChosen: 'Choose the event this gate admits.',
  prepareFailed: (error: unknown) => `Could not prepare for offline check-in (${reasonOf(error)}).`,
  kitRefreshFailed: (error: unknown) => `Could not refresh the offline kit (${reasonOf(error)}).`,
  kitUnusable: (error: unknown) => `The offline kit on this device cannot be used (${reasonOf(error)}); prepare for offline again.`,
} as const
