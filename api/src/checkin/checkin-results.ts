// How an admission is answered: to a scanner online (CheckinResult) and to a device syncing the
// check-ins it made offline (CheckinSyncItemResult).
import type { CheckinResult, CheckinSyncItemResult } from '@boxoffice/tickets'
import type { Admission, CheckinAttempt } from './ticket-admission.ts'

export function toCheckinResult(admission: Admission): CheckinResult {
  switch (admission.outcome) {
    case 'admitted':
    case 'replayed':
      return { result: 'valid', checkedInAt: admission.checkedInAt, ticket: admission.ticket }
    case 'already':
      return {
        result: 'already-checked-in',
        checkedInAt: admission.first.checkedInAt,
        deviceId: admission.first.deviceId,
        ticket: admission.ticket,
      }
    case 'invalid': {
      const { reason, message, ticket } = admission
      return ticket ? { result: 'invalid', reason, message, ticket } : { result: 'invalid', reason, message }
    }
  }
}

/**
 * A device's own scan sent again with its idempotency key (e.g. after a lost response) is
 * `accepted` again; a ticket another scan checked in first is a `conflict`: the device let it in
 * offline, and the gate staff should know it was a second entry. Neither answer carries a key.
 */
export function toSyncResult(admission: Admission, attempt: CheckinAttempt): CheckinSyncItemResult {
  switch (admission.outcome) {
    case 'admitted':
    case 'replayed':
      return { result: 'accepted', checkedInAt: admission.checkedInAt, ticket: admission.ticket }
    case 'already':
      return {
        result: 'conflict',
        checkedInAt: attempt.checkedInAt,
        firstCheckedInAt: admission.first.checkedInAt,
        firstDeviceId: admission.first.deviceId,
        ticket: admission.ticket,
      }
    case 'invalid':
      return toCheckinResult(admission) as CheckinSyncItemResult
  }
}
