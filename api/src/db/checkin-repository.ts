// Storage of what happens at the gate: check-ins, and the revocations that refuse tickets there.
// Plain data only and every method async, like TicketRepository.
import type { Range } from '@boxoffice/tickets'

export interface CheckinRecord {
  batchId: string
  serial: number
  /** ISO 8601 UTC, the scanner's clock: when the ticket was scanned (maybe offline, synced later). */
  checkedInAt: string
  /** The scanning device, if it said. */
  deviceId: string | null
  /** ISO 8601 UTC, the server's clock: when the server stored it. */
  recordedAt: string
  /** The signed-in account that sent it. */
  recordedBy: number | null
  /** The scanning device's key for this scan; a retry with it (by the same account) is the same check-in. Never sent to a client. */
  idempotencyKey: string | null
}

export interface RevocationRecord {
  batchId: string
  /** Null: the whole batch is revoked. */
  serial: number | null
  revokedAt: string
  reason: string | null
  revokedBy: number | null
  /** That account's username, for display. */
  revokedByUsername: string | null
}

export type NewRevocation = Omit<RevocationRecord, 'revokedByUsername'>

export type RecordCheckinResult =
  /** This check-in is the ticket's first: it was stored. */
  | { outcome: 'recorded' }
  /** The ticket was checked in before; `first` is that check-in, unchanged. */
  | { outcome: 'already'; first: CheckinRecord }
  /** The ticket, or its whole batch, is revoked: nothing was stored. */
  | { outcome: 'revoked'; revocation: RevocationRecord }

export interface BatchRevocations {
  /** Set when the whole batch is revoked. */
  batch: RevocationRecord | undefined
  /** Serials revoked one by one, as sorted inclusive ranges. */
  serials: Range[]
}

export interface CheckinRepository {
  /**
   * Records each check-in, in order, in one transaction: refused if the ticket or its batch is
   * revoked, stored if it is the ticket's first, else reported with the first. Of any number of
   * concurrent check-ins of one ticket, from any number of connections, exactly one is `recorded`.
   * The tickets must exist (the caller has checked they were issued).
   */
  recordCheckins(checkins: readonly CheckinRecord[]): Promise<RecordCheckinResult[]>
  /**
   * Stores the revocation unless that ticket (or whole batch) is revoked already; returns the
   * stored one (exactly one of concurrent revocations of one ticket is `created`). Excludes
   * recordCheckins on the same batch: a check-in that starts after revoke resolved is `revoked`.
   */
  revoke(revocation: NewRevocation): Promise<{ created: boolean; revocation: RevocationRecord }>
  revocationsOf(batchId: string): Promise<BatchRevocations>
  /** One ticket's check-in (with the username that sent it) and its revocation (the whole batch's first). */
  ticketState(batchId: string, serial: number): Promise<TicketState>
}

export interface TicketState {
  checkin: (CheckinRecord & { recordedByUsername: string | null }) | undefined
  revocation: RevocationRecord | undefined
}
