// The audit log's hash chain. Each entry's hash covers its own fields and the hash before it, so
// changing, inserting or removing a row breaks the chain from there on, and `audit verify` finds it.
import { createHash } from 'node:crypto'

/** What a route records; the repository gives it its place (seq) and its hashes. */
export interface NewAuditEntry {
  /** ISO 8601 UTC, the server's clock. */
  at: string
  /** The account's username, `device:<name>` for a gate device, or null when nobody is signed in. */
  actor: string | null
  ip: string | null
  /** The registered device's name, else the browser's user agent (shortened). */
  device: string | null
  /** `account.created`, `batch.completed`, … (see docs/api.md). */
  action: string
  /** What it acted on: a username, a batch id, a ticket number, … */
  subject: string | null
  /** Counts and other facts, as JSON text. */
  detail: string
}

export interface AuditEntry extends NewAuditEntry {
  seq: number
  prevHash: string
  hash: string
}

/** The hash before the very first entry. */
export const GENESIS_HASH = '0'.repeat(64)

export function auditHash(prevHash: string, seq: number, entry: NewAuditEntry): string {
  const fields = [seq, entry.at, entry.actor, entry.ip, entry.device, entry.action, entry.subject, entry.detail]
  return createHash('sha256')
    .update(`${prevHash}\n${JSON.stringify(fields)}`)
    .digest('hex')
}

/** The entry that follows `last` (undefined: the log is empty). */
export function chainedEntry(last: Pick<AuditEntry, 'seq' | 'hash'> | undefined, entry: NewAuditEntry): AuditEntry {
  const seq = (last?.seq ?? 0) + 1
  const prevHash = last?.hash ?? GENESIS_HASH
  return { ...entry, seq, prevHash, hash: auditHash(prevHash, seq, entry) }
}

export type ChainCheck =
  | { ok: true; entries: number; firstSeq: number | null; lastSeq: number | null }
  | { ok: false; entries: number; seq: number; problem: string }

/**
 * Checks the chain, oldest first. The first entry kept may follow entries the retention period
 * removed: its prevHash is then taken as given (and the answer's firstSeq says where it starts).
 */
export async function verifyChain(pages: AsyncIterable<AuditEntry[]>): Promise<ChainCheck> {
  let previous: AuditEntry | undefined
  let firstSeq: number | null = null
  let entries = 0
  for await (const page of pages) {
    for (const entry of page) {
      if (previous === undefined) {
        firstSeq = entry.seq
        if (entry.seq === 1 && entry.prevHash !== GENESIS_HASH) {
          return { ok: false, entries, seq: entry.seq, problem: 'the first entry does not start the chain' }
        }
      } else {
        if (entry.seq !== previous.seq + 1) {
          return { ok: false, entries, seq: entry.seq, problem: `entries ${previous.seq + 1}–${entry.seq - 1} are missing` }
        }
        if (entry.prevHash !== previous.hash) {
          return { ok: false, entries, seq: entry.seq, problem: `it does not follow entry ${previous.seq} (its previous hash differs)` }
        }
      }
      if (auditHash(entry.prevHash, entry.seq, entry) !== entry.hash) {
        return { ok: false, entries, seq: entry.seq, problem: 'its content does not match its hash: the row was changed' }
      }
      entries += 1
      previous = entry
    }
  }
  return { ok: true, entries, firstSeq, lastSeq: previous?.seq ?? null }
}
