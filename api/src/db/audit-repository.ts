// Storage of the audit log: entries are only ever appended (and, past the retention period,
// removed from the old end). Each carries the hash of the one before (audit/audit-chain.ts).
import type { AuditEntry, NewAuditEntry } from '../audit/audit-chain.ts'

export interface AuditQuery {
  actor?: string
  /** An action, or a prefix of one ending in `.` (`account.` is every account change). */
  action?: string
  /** ISO 8601, inclusive. */
  from?: string
  /** ISO 8601, exclusive. */
  to?: string
  /** Entries with a smaller seq only: the next page. */
  beforeSeq?: number
  limit: number
}

export interface AuditRepository {
  /**
   * Appends the entry after the last one, chained to it, in one step that excludes every other
   * append on any connection or instance, so the chain has one order and no fork.
   */
  append(entry: NewAuditEntry): Promise<AuditEntry>
  /** Newest first. */
  list(query: AuditQuery): Promise<AuditEntry[]>
  /** Every entry, oldest first, `pageSize` at a time, with memory flat at one page. */
  scan(pageSize?: number): AsyncIterable<AuditEntry[]>
  /** Removes entries older than `before`; returns how many. */
  pruneBefore(before: string): Promise<number>
}
