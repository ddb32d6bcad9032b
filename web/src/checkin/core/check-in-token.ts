// One scan at the gate: ask the server while it can be reached, else decide from the kit and record
// the check-in on this device for the next sync. Imports neither fetch nor idb (see CheckinPorts).
import { classifyFailure, failureOf } from '../../shared/core/request-failure.ts'
import type { CheckinServerCall, LocalCheckinStore } from '../ports.ts'
import { fromServerResult, type CheckinVerdict, type OfflineCause } from './checkin-verdict.ts'
import type { OfflineKit } from './offline-kit.ts'
import { namedTicket, offlineVerdict } from './offline-verdict.ts'

export interface ScanOutcome {
  verdict: CheckinVerdict
  /** Set when the device decided (verdict.decidedBy 'device'). */
  offlineCause?: OfflineCause
}

export interface CheckinScanDeps {
  store: LocalCheckinStore
  server: CheckinServerCall
  kit: OfflineKit
  /** The event this gate admits: the server refuses other events' tickets (WRONG_EVENT). */
  eventId?: string
  /** Other events' batches, for the same refusal offline. */
  otherEvents?: ReadonlyMap<string, string>
  deviceId: string
  isOnline: () => boolean
  now: () => Date
  /** A fresh random key per scan (default crypto.randomUUID). */
  newIdempotencyKey?: () => string
}

/**
 * Contract: a `valid` answer decided on this device is returned only after its check-in is stored
 * locally (pending sync); if storing fails, this throws and the ticket must not be admitted.
 * Throws, too, for server answers that are neither a verdict nor unreachability (401, other 4xx).
 */
export async function checkInToken(scanned: string, deps: CheckinScanDeps): Promise<ScanOutcome> {
  // Handheld scanners and copy-paste add spaces and line breaks; base32 has neither.
  const token = scanned.replace(/\s+/g, '')
  // One time for the scan, online or off: if the online request reached the server but its answer
  // was lost, the offline record syncs as a retry of the same check-in, not a second one.
  const checkedInAt = deps.now().toISOString()
  // One key for the scan, too: the server answers a retry with it (by this account) as the first.
  const idempotencyKey = (deps.newIdempotencyKey ?? (() => crypto.randomUUID()))()
  const named = namedTicket(token)
  const local = named && (await deps.store.findCheckin(named.batchId, named.serial))

  // Admitted here offline and not yet synced: the server cannot know it yet, this device does.
  const admittedUnsynced = local?.sync === 'pending' && local.token === token
  let offlineCause: OfflineCause = admittedUnsynced ? 'unsynced-here' : 'browser-offline'
  if (deps.isOnline() && !admittedUnsynced) {
    try {
      const result = await deps.server.checkIn({ token, deviceId: deps.deviceId, checkedInAt, idempotencyKey, eventId: deps.eventId })
      if (result.result === 'valid') {
        // Remembered so that this device refuses the ticket offline later. The server holds the
        // check-in either way, so a failure to store it here does not change the answer.
        const { batchId, serial } = result.ticket
        await deps.store
          .recordCheckin({ batchId, serial, token, checkedInAt: result.checkedInAt, idempotencyKey, sync: 'synced' })
          .catch(() => undefined)
      }
      return { verdict: fromServerResult(result) }
    } catch (error) {
      if (!serverUnreachable(error)) throw error
      offlineCause = 'server-unreachable'
    }
  }

  const verdict = await offlineVerdict({ token, kit: deps.kit, local, checkedInAt, deviceId: deps.deviceId, otherEvents: deps.otherEvents })
  if (verdict.result === 'valid') {
    await deps.store.recordCheckin({
      batchId: verdict.ticket.batchId,
      serial: verdict.ticket.serial,
      token,
      checkedInAt,
      idempotencyKey,
      sync: 'pending',
    })
  }
  return { verdict, offlineCause }
}

// When a scan stops asking the server and decides from the kit instead:
//
// Decided offline (the server did not record the check-in, or cannot be known to have): a failure
// the shared classifier calls `unreachable`:
//   - network errors: fetch threw (no connection, DNS, connection reset, the answer lost)
//   - no answer in time (the request's deadline passed)
//   - 408 Request Timeout, and every 5xx (the API answers 503 when its database cannot serve)
//   A check-in that did reach the server is sent again by the sync with the same device and time,
//   which the server answers as a replay, so nothing is counted twice.
// Not decided offline:
//   - 401: the session ended; staff sign in again
//   - 429 and other 4xx: the server answered the request itself; that answer will not change offline
//   - anything that is no request failure (a bug, an abort)
export function serverUnreachable(error: unknown): boolean {
  const failure = failureOf(error)
  return failure !== undefined && classifyFailure(failure) === 'unreachable'
}
