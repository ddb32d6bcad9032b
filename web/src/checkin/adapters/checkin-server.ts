// The check-in API calls of the page (docs/api.md, "Check-in at the gate").
import { MAX_KIT_BATCHES, type CheckinBatchList, type CheckinKit, type CheckinResult, type CheckinSyncResult } from '@boxoffice/tickets'
import { apiRequest } from '../../shared/io/request.ts'
import { splitIntoPieces } from '../core/sync-pending.ts'
import type { CheckinServer } from '../ports.ts'

/**
 * A scan waits this long for the server before the device decides offline. Wi-Fi that is connected
 * but carries nothing would otherwise keep a queue at the gate waiting for as long as fetch does.
 */
const CHECKIN_TIMEOUT_MS = 4_000

export const httpCheckinServer: CheckinServer = {
  checkIn: (body) => apiRequest<CheckinResult>('POST', '/checkins', body, { timeoutMs: CHECKIN_TIMEOUT_MS }),
  sync: (body) => apiRequest<CheckinSyncResult>('POST', '/checkins/sync', body),
  async kit(batchIds) {
    const kits = []
    for (const piece of splitIntoPieces(batchIds, MAX_KIT_BATCHES)) {
      kits.push(await apiRequest<CheckinKit>('GET', `/checkin-kit?batchIds=${piece.join(',')}`))
    }
    return {
      // The oldest answer: revocations are known at least as of then.
      serverTime: kits.map((kit) => kit.serverTime).sort()[0] ?? new Date().toISOString(),
      batches: kits.flatMap((kit) => kit.batches),
      revokedBatches: kits.flatMap((kit) => kit.revokedBatches),
    }
  },
  async completedBatches() {
    return (await apiRequest<CheckinBatchList>('GET', '/checkin-kit/batches?limit=500')).batches
  },
}
