// A check-in this device made, as kept in IndexedDB (see checkin-db.ts).

/**
 * - `pending`: admitted offline; the server does not know yet. Must stay until a sync's answer arrived.
 * - `synced`: the server holds it (admitted online, or accepted by a sync).
 * - `conflict`: a sync found that someone checked the ticket in first (a second entry happened).
 * - `invalid`: a sync refused it (e.g. revoked after the offline scan); nothing recorded on the server.
 */
export type SyncState = 'pending' | 'synced' | 'conflict' | 'invalid'

export interface LocalCheckin {
  batchId: string
  serial: number
  token: string
  /** When this device admitted the ticket, ISO 8601 UTC. Sent as is on sync. */
  checkedInAt: string
  /**
   * The scan's idempotency key, sent with its online request and with every sync of it, so that a
   * re-send is a retry of the same scan. Absent on check-ins stored before keys were sent.
   */
  idempotencyKey?: string
  sync: SyncState
  /** For `conflict`: the first check-in, as the server knows it. */
  firstCheckedInAt?: string
  firstDeviceId?: string | null
  /** For `invalid`: the server's reason and message. */
  reason?: string
  message?: string
}
