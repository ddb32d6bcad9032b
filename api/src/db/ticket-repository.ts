// The storage contract. Plain data only, and every method async, so that a PostgreSQL
// implementation can sit beside the SQLite one without the callers changing.
import type { BatchState, Range } from '@boxoffice/tickets'

export interface BatchRecord {
  id: string
  event: string
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
}

export type NewBatch = Pick<
  BatchRecord,
  'id' | 'event' | 'ticketType' | 'priceMinor' | 'currency' | 'quantity' | 'publicKey' | 'createdAt' | 'createdBy'
>

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

/**
 * What happened to a chunk commit. The chunk row is checked inside the write transaction,
 * so of several identical concurrent commits exactly one reports `committed`.
 */
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
  limit: number
}

export interface TicketRepository {
  /** Runs a trivial query; rejects when the database is unusable. */
  ping(): Promise<void>
  /** Inserts the batch unless one with its id exists; either way returns the stored batch. */
  createBatch(batch: NewBatch): Promise<{ created: boolean; batch: BatchRecord }>
  getBatch(id: string): Promise<BatchRecord | undefined>
  /** Newest first. */
  listBatches(query: ListBatchesQuery): Promise<BatchRecord[]>
  /** The committed chunk indexes as sorted inclusive ranges. */
  committedChunkRanges(batchId: string): Promise<Range[]>
  chunkDigest(batchId: string, index: number): Promise<string | undefined>
  /** Stores the chunk row and all its tickets, and bumps the batch counters, all or nothing. */
  commitChunk(chunk: ChunkToCommit): Promise<CommitChunkResult>
  /** Moves an open batch to a final state; completion requires every chunk. */
  finishBatch(batchId: string, state: FinalState, finishedAt: string): Promise<FinishBatchResult>
  ticketToken(batchId: string, serial: number): Promise<string | undefined>
  /**
   * The batch's tickets with serials `range[0] … range[1]`, in serial order, `pageSize` at a time
   * (default 1,000). Each page is its own short query, so nothing holds the database between pages
   * and memory stays at one page however large the batch. Meant for a completed batch, whose
   * tickets no longer change.
   */
  streamTickets(batchId: string, range: Range, pageSize?: number): AsyncIterable<StoredTicket[]>
  close(): Promise<void>
}
