// What the Check-in page keeps on the device (implemented over IndexedDB in checkin-db.ts).
import type { CheckinKitBatch } from '@boxoffice/tickets'
import type { LocalCheckinStore } from './core/check-in-token.ts'
import type { PendingCheckinStore } from './core/sync-pending.ts'

/** A kit batch as stored, with the server's time when it was fetched (revocations are as of then). */
export interface StoredKitBatch extends CheckinKitBatch {
  fetchedAt: string
}

export interface CheckinStore extends LocalCheckinStore, PendingCheckinStore {
  /** This device's id for check-ins, made once and kept: conflicts name devices by it. */
  deviceId(): Promise<string>
  kitBatches(): Promise<StoredKitBatch[]>
  /** The prepared batches become exactly `batches`, in one transaction. */
  replaceKit(batches: readonly StoredKitBatch[]): Promise<void>
  countPending(): Promise<number>
}
