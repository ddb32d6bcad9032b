// The storage contract for batches, chunks and tickets. Plain data only, every method async and
// no driver type, so that the SQLite (sqlite/) and PostgreSQL (postgres/) implementations answer
// alike; repository-contract.test.ts holds both to it. Each method's comment says what it promises
// when many callers (connections, server processes) run it at once.
//
// Any method may reject with StorageUnavailableError (storage-unavailable.ts) when the database
// cannot serve the call now; nothing of a failed write is kept.
import type { BatchState, Range } from '@boxoffice/tickets'

export interface BatchRecord {
  id: string
  /** The batch's event (EventRepository), and its name as it is now. */
  eventId: string
  event: string
  ticketTypeId: string
  /** The ticket type's name when the batch was created: its tokens are signed with it. */
  ticketType: string
  priceMinor: number
  currency: string
  quantity: number
  /** Base64url of the raw 32-byte Ed25519 public key. */
  publicKey: string
  state: BatchState
  createdAt: string
  finishedAt: string | null
  chunksReceived: number
  ticketsReceived: number
  /** Id of the account that created the batch; null for batches from before accounts. */
  createdBy: number | null
  /** That account's username, for display. */
  createdByUsername: string | null
  /** When the whole batch was revoked; null if it was not. */
  revokedAt: string | null
}

/** The name and price are the ticket type's at creation, copied into the batch. */
export type NewBatch = Pick<BatchRecord, 'id' | 'ticketTypeId' | 'quantity' | 'publicKey' | 'createdAt' | 'createdBy'>

export type CreateBatchResult =
  /** Stored now, its quantity reserved from the type's capacity. */
  | { outcome: 'created'; batch: BatchRecord }
  /** A batch with this id exists (a replay, or a clash): nothing was reserved. */
  | { outcome: 'existing'; batch: BatchRecord }
  | { outcome: 'ticket-type-not-found' }
  /** The quantity is more than the type has left: nothing was stored. */
  | { outcome: 'capacity-exceeded'; capacity: number; remaining: number }

export interface StoredTicket {
  serial: number
  token: string
}

export interface ChunkToCommit {
  batchId: string
  index: number
  /** Hex SHA-256 of the chunk's tokens joined by "\n", in upload order. */
  digest: string
  tickets: readonly StoredTicket[]
  committedAt: string
}

/** What happened to a chunk commit. */
export type CommitChunkResult =
  | { outcome: 'committed'; batch: BatchRecord }
  | { outcome: 'duplicate'; batch: BatchRecord }
  | { outcome: 'conflict'; batch: BatchRecord; storedDigest: string }
  | { outcome: 'batch-not-open'; batch: BatchRecord }
  | { outcome: 'batch-not-found' }

export type FinalState = Exclude<BatchState, 'open'>

export type FinishBatchResult =
  /** The batch moved from open to the requested state now. */
  | { outcome: 'finished'; batch: BatchRecord }
  /** The batch was already in the requested state: a replay. */
  | { outcome: 'already'; batch: BatchRecord }
  /** The batch is in the other final state. */
  | { outcome: 'not-open'; batch: BatchRecord }
  /** Completion was asked for but not every chunk has been committed. */
  | { outcome: 'incomplete'; batch: BatchRecord }
  | { outcome: 'batch-not-found' }

export interface ListBatchesQuery {
  state?: BatchState
  /** Only the batches this account created; absent means every batch. */
  createdBy?: number
  /** Only the batches of this event. */
  eventId?: string
  limit: number
}

export interface TicketRepository {
  /** Runs a trivial query; rejects when the database is unusable. */
  ping(): Promise<void>
  /**
   * Inserts the batch unless one with its id exists, and reserves its quantity from its ticket
   * type, in one atomic step: the check of what is left and the reservation exclude every other
   * reservation, capacity change and cancellation of the type, across connections and instances,
   * so the type's issued tickets never exceed its capacity. Of concurrent creations of one id,
   * exactly one is `created`, and the others return that row as `existing`.
   */
  createBatch(batch: NewBatch): Promise<CreateBatchResult>
  getBatch(id: string): Promise<BatchRecord | undefined>
  /** Batches whose id starts with `prefix` (lower-case hex), at most `limit`: what a ticket number names. */
  batchesWithIdPrefix(prefix: string, limit: number): Promise<BatchRecord[]>
  /** Newest first. */
  listBatches(query: ListBatchesQuery): Promise<BatchRecord[]>
  /** The committed chunk indexes as sorted inclusive ranges. */
  committedChunkRanges(batchId: string): Promise<Range[]>
  chunkDigest(batchId: string, index: number): Promise<string | undefined>
  /**
   * Stores the chunk row and all its tickets, and bumps the batch counters, all or nothing, and
   * resolves only once that has committed. The batch's state, the chunk's presence and the
   * counters are read and written in one transaction that excludes every other commit and
   * finishBatch of the same batch: of any number of concurrent commits of one chunk index, exactly
   * one is `committed`; the others see it (`duplicate` for the same digest, `conflict` for
   * another). A chunk never lands in a batch that is no longer open, and a batch's counters always
   * equal its stored chunks and tickets.
   */
  commitChunk(chunk: ChunkToCommit): Promise<CommitChunkResult>
  /**
   * Moves an open batch to a final state; completion requires every chunk. Excludes commitChunk on
   * the same batch (see there), so a batch is completed only with all its chunks, and no chunk is
   * committed after it is completed or cancelled. Of concurrent finishes, one is `finished`.
   * Cancelling gives the tickets never uploaded back to the ticket type, in the same transaction.
   */
  finishBatch(batchId: string, state: FinalState, finishedAt: string): Promise<FinishBatchResult>
  ticketToken(batchId: string, serial: number): Promise<string | undefined>
  /**
   * The batch's tickets with serials `range[0] … range[1]`, in serial order, `pageSize` at a time
   * (default 1,000), with memory flat at one page however large the batch. SQLite pages by key
   * (each page its own short query, so no write waits on a slow download); PostgreSQL reads
   * through a cursor on one pooled connection, held until the iteration ends or is abandoned.
   * Meant for a completed batch, whose tickets no longer change.
   */
  streamTickets(batchId: string, range: Range, pageSize?: number): AsyncIterable<StoredTicket[]>
}
