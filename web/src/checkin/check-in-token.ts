// One scan at the gate: ask the server while it can be reached, else decide from the kit and record
// the check-in on this device for the next sync. Imports neither fetch nor idb (see CheckinPorts).
import type { CheckinBody, CheckinResult } from '@boxoffice/tickets'
import { fromServerResult, type CheckinVerdict, type OfflineCause } from './checkin-verdict.ts'
import type { LocalCheckin } from './local-checkin.ts'
import type { OfflineKit } from './offline-kit.ts'
import { namedTicket, offlineVerdict } from './offline-verdict.ts'
import { serverUnreachable } from './unreachable.ts'

export interface LocalCheckinStore {
  findCheckin(batchId: string, serial: number): Promise<LocalCheckin | undefined>
  recordCheckin(checkin: LocalCheckin): Promise<void>
}

export interface CheckinServerCall {
  checkIn(body: CheckinBody): Promise<CheckinResult>
}

export interface ScanOutcome {
  verdict: CheckinVerdict
  /** Set when the device decided (verdict.decidedBy 'device'). */
  offlineCause?: OfflineCause
}

export interface CheckinScanDeps {
  store: LocalCheckinStore
  server: CheckinServerCall
  kit: OfflineKit
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
      const result = await deps.server.checkIn({ token, deviceId: deps.deviceId, checkedInAt, idempotencyKey })
      if (result.result === 'valid') {
        // Remembered so that this device refuses the ticket offline later. The server holds the
        // check-in either way, so a failure to store it here does not change the answer.
        const { batchId, serial } = result.ticket
        await deps.store.recordCheckin({ batchId, serial, token, checkedInAt: result.checkedInAt, idempotencyKey, sync: 'synced' }).catch(() => undefined)
      }
      return { verdict: fromServerResult(result) }
    } catch (error) {
      if (!serverUnreachable(error)) throw error
      offlineCause = 'server-unreachable'
    }
  }

  const verdict = await offlineVerdict({ token, kit: deps.kit, local, checkedInAt, deviceId: deps.deviceId })
  if (verdict.result === 'valid') {
    await deps.store.recordCheckin({ batchId: verdict.ticket.batchId, serial: verdict.ticket.serial, token, checkedInAt, idempotencyKey, sync: 'pending' })
  }
  return { verdict, offlineCause }
}
