import { MAX_SYNC_CHECKINS } from '@boxoffice/tickets'
import type { LocalCheckin } from './local-checkin.ts'
import { splitIntoPieces } from './pieces.ts'

/**
 * The pending check-ins as sync requests of at most MAX_SYNC_CHECKINS, oldest scan first: the
 * server records each request in order, so the order of scanning is the order of record.
 */
export function syncPieces(pending: readonly LocalCheckin[], size = MAX_SYNC_CHECKINS): LocalCheckin[][] {
  const oldestFirst = [...pending].sort((a, b) => (a.checkedInAt < b.checkedInAt ? -1 : a.checkedInAt > b.checkedInAt ? 1 : 0))
  return splitIntoPieces(oldestFirst, size)
}
