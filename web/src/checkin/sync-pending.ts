// Sends the check-ins this device admitted offline to the server. Imports neither fetch nor idb:
// the store and the server are passed in (checkin-db.ts and checkin-server.ts in the page).
import type { CheckinSyncBody, CheckinSyncResult } from '@boxoffice/tickets'
import type { LocalCheckin } from './local-checkin.ts'
import { syncPieces } from './sync-pieces.ts'
import { addSyncResults, EMPTY_SYNC_SUMMARY, syncedRecord, type SyncSummary } from './sync-summary.ts'

export interface PendingCheckinStore {
  pendingCheckins(): Promise<LocalCheckin[]>
  /** Replaces the records with their synced form, all in one transaction. */
  saveSyncOutcomes(records: readonly LocalCheckin[]): Promise<void>
}

export interface SyncServer {
  sync(body: CheckinSyncBody): Promise<CheckinSyncResult>
}

export interface SyncRun {
  /** Check-ins the server answered for (those are no longer pending). */
  sent: number
  summary: SyncSummary
  /** Why the run stopped early; every check-in not answered for is still pending. */
  failure?: unknown
}

/**
 * Contract: a pending check-in stays pending until the server's answer for it has arrived and
 * been stored. Re-sending one whose answer was lost is safe: it goes with the scan's idempotency key,
 * and the server accepts a retry with that key again. Pieces go one at a time, so a failure leaves later pieces untouched.
 */
export async function syncPendingCheckins(deps: { store: PendingCheckinStore; server: SyncServer; deviceId: string }): Promise<SyncRun> {
  let summary = EMPTY_SYNC_SUMMARY
  let sent = 0
  try {
    for (const piece of syncPieces(await deps.store.pendingCheckins())) {
      const answer = await deps.server.sync({
        deviceId: deps.deviceId,
        checkins: piece.map(({ token, checkedInAt, idempotencyKey }) => (idempotencyKey ? { token, checkedInAt, idempotencyKey } : { token, checkedInAt })),
      })
      // Checks the answer's length before anything is marked.
      const next = addSyncResults(summary, piece, answer.results)
      await deps.store.saveSyncOutcomes(piece.map((checkin, index) => syncedRecord(checkin, answer.results[index]!)))
      summary = next
      sent += piece.length
    }
    return { sent, summary }
  } catch (failure) {
    return { sent, summary, failure }
  }
}
