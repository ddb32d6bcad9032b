// What check-in's pure core (core/) needs from outside, and the records it reads and writes. The
// page plugs in IndexedDB (adapters/checkin-db.ts) and fetch (adapters/checkin-server.ts); tests
// plug in fakes.
import type {
  CheckinEvent,
  CheckinBody,
  CheckinKit,
  CheckinKitBatch,
  CheckinResult,
  CheckinSyncBody,
  CheckinSyncResult,
} from '@boxoffice/tickets'

/**
 * - `pending`: admitted offline; the server does not know yet. Must stay until a sync's answer arrived.
 * - `synced`: the server holds it (admitted online, or accepted by a sync).
 * - `conflict`: a sync found that someone checked the ticket in first (a second entry happened).
 * - `invalid`: a sync refused it (e.g. revoked after the offline scan); nothing recorded on the server.
 */
export type SyncState = 'pending' | 'synced' | 'conflict' | 'invalid'

/** A check-in this device made, as kept on the device. */
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

/** A kit batch as stored, with the server's time when it was fetched (revocations are as of then). */
export interface StoredKitBatch extends CheckinKitBatch {
  fetchedAt: string
}

/** What a scan reads and writes (core/check-in-token.ts). */
export interface LocalCheckinStore {
  findCheckin(batchId: string, serial: number): Promise<LocalCheckin | undefined>
  recordCheckin(checkin: LocalCheckin): Promise<void>
}

/** What a sync reads and writes (core/sync-pending.ts). */
export interface PendingCheckinStore {
  pendingCheckins(): Promise<LocalCheckin[]>
  /** Replaces the records with their synced form, all in one transaction. */
  saveSyncOutcomes(records: readonly LocalCheckin[]): Promise<void>
}

/** Everything the Check-in page keeps on the device. */
export interface CheckinStore extends LocalCheckinStore, PendingCheckinStore {
  /** This device's id for check-ins, made once and kept: conflicts name devices by it. */
  deviceId(): Promise<string>
  kitBatches(): Promise<StoredKitBatch[]>
  /** The prepared batches become exactly `batches`, in one transaction. */
  replaceKit(batches: readonly StoredKitBatch[]): Promise<void>
  countPending(): Promise<number>
}

/** POST /api/checkins: the server's verdict on one scan. Throws when it cannot be had. */
export interface CheckinServerCall {
  checkIn(body: CheckinBody): Promise<CheckinResult>
}

/** POST /api/checkins/sync. */
export interface SyncServer {
  sync(body: CheckinSyncBody): Promise<CheckinSyncResult>
}

/** The check-in API calls of the page (docs/api.md, "Check-in at the gate"). */
export interface CheckinServer extends CheckinServerCall, SyncServer {
  /** The kit of one event. */
  kit(eventId: string): Promise<CheckinKit>
  /** The events a gate may admit. */
  events(): Promise<CheckinEvent[]>
}

/** What the device remembers of the event it admits, beside the kit's batches. */
export interface AdmittedEvent {
  eventId: string
  /** Other events' batches by id, with their event's name (CheckinKit.otherBatches). */
  otherBatches: { id: string; event: string }[]
}
