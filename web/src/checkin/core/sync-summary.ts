// What a sync of offline check-ins came to, for the people at the gate: how many the server took,
// and each ticket that entered twice (a conflict) or should not have entered at all (invalid).
import { formatTicketNumber, type CheckinSyncItemResult } from '@boxoffice/tickets'
import type { LocalCheckin } from '../ports.ts'

export interface SyncConflict {
  ticketNumber: string
  event?: string
  /** When this device let the ticket in. */
  checkedInAt: string
  /** The check-in the server holds: the ticket's first entry. */
  firstCheckedInAt: string
  firstDeviceId: string | null
}

export interface SyncRefusal {
  ticketNumber: string
  checkedInAt: string
  reason: string
  message: string
}

export interface SyncSummary {
  accepted: number
  conflicts: SyncConflict[]
  invalid: SyncRefusal[]
}

export const EMPTY_SYNC_SUMMARY: SyncSummary = { accepted: 0, conflicts: [], invalid: [] }

/** Adds one sync answer (`results[i]` answering `sent[i]`) to a summary; returns a new summary. */
export function addSyncResults(
  summary: SyncSummary,
  sent: readonly LocalCheckin[],
  results: readonly CheckinSyncItemResult[],
): SyncSummary {
  if (sent.length !== results.length) throw new Error(`the server answered ${results.length} check-ins of ${sent.length} sent`)
  let { accepted } = summary
  const conflicts = [...summary.conflicts]
  const invalid = [...summary.invalid]
  results.forEach((result, index) => {
    const checkin = sent[index]!
    const ticketNumber = formatTicketNumber(checkin.batchId, checkin.serial)
    if (result.result === 'accepted') accepted++
    else if (result.result === 'conflict') {
      conflicts.push({
        ticketNumber,
        ...(result.ticket.event === undefined ? {} : { event: result.ticket.event }),
        checkedInAt: checkin.checkedInAt,
        firstCheckedInAt: result.firstCheckedInAt,
        firstDeviceId: result.firstDeviceId,
      })
    } else invalid.push({ ticketNumber, checkedInAt: checkin.checkedInAt, reason: result.reason, message: result.message })
  })
  return { accepted, conflicts, invalid }
}

/** The local record once the server answered for it. */
export function syncedRecord(checkin: LocalCheckin, result: CheckinSyncItemResult): LocalCheckin {
  const { firstCheckedInAt: _f, firstDeviceId: _d, reason: _r, message: _m, ...base } = checkin
  switch (result.result) {
    case 'accepted':
      return { ...base, sync: 'synced' }
    case 'conflict':
      return { ...base, sync: 'conflict', firstCheckedInAt: result.firstCheckedInAt, firstDeviceId: result.firstDeviceId }
    case 'invalid':
      return { ...base, sync: 'invalid', reason: result.reason, message: result.message }
  }
}

function plural(count: number, one: string, many: string) {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`
}

/** "2 accepted, 1 conflict, 0 invalid" */
export function syncCountsText(summary: SyncSummary): string {
  return `${summary.accepted.toLocaleString('en-US')} accepted, ${plural(summary.conflicts.length, 'conflict', 'conflicts')}, ${summary.invalid.length.toLocaleString('en-US')} invalid`
}
