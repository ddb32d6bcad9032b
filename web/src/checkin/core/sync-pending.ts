// Sends the check-ins this device admitted offline to the server. Imports neither fetch nor idb:
// the store and the server are passed in (adapters/checkin-db.ts and adapters/checkin-server.ts).
import { MAX_SYNC_CHECKINS } from '@boxoffice/tickets'
import type { LocalCheckin, PendingCheckinStore, SyncServer } from '../ports.ts'
import { addSyncResults, EMPTY_SYNC_SUMMARY, syncedRecord, type SyncSummary } from './sync-summary.ts'

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
        checkins: piece.map(({ token, checkedInAt, idempotencyKey }) =>
          idempotencyKey ? { token, checkedInAt, idempotencyKey } : { token, checkedInAt },
        ),
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

/**
 * The pending check-ins as sync requests of at most MAX_SYNC_CHECKINS, oldest scan first: the
 * server records each request in order, so the order of scanning is the order of record.
 */
export function syncPieces(pending: readonly LocalCheckin[], size = MAX_SYNC_CHECKINS): LocalCheckin[][] {
  const oldestFirst = [...pending].sort((a, b) => (a.checkedInAt < b.checkedInAt ? -1 : a.checkedInAt > b.checkedInAt ? 1 : 0))
  return splitIntoPieces(oldestFirst, size)
}

/** Consecutive pieces of at most `size` items, in order. */
export function splitIntoPieces<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`piece size must be a positive integer, got ${size}`)
  const pieces: T[][] = []
  for (let start = 0; start < items.length; start += size) pieces.push(items.slice(start, start + size))
  return pieces
}
