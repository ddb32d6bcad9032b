import type Database from 'better-sqlite3'
import { chunkCount, toRanges, type BatchState, type Range } from '@boxoffice/tickets'
import { sqliteOperation } from './sqlite-errors.ts'
import type {
  BatchRecord,
  ChunkToCommit,
  CommitChunkResult,
  CreateBatchResult,
  FinalState,
  FinishBatchResult,
  ListBatchesQuery,
  NewBatch,
  StoredTicket,
  TicketRepository,
} from '../ticket-repository.ts'

const DEFAULT_TICKET_PAGE = 1_000

const BATCH_COLUMNS = `
  b.id, t.event_id AS eventId, e.name AS event, b.ticket_type_id AS ticketTypeId, b.ticket_type AS ticketType, b.price_minor AS priceMinor, b.currency, b.quantity,
  b.public_key AS publicKey, b.state, b.created_at AS createdAt, b.finished_at AS finishedAt,
  b.chunks_received AS chunksReceived, b.tickets_received AS ticketsReceived,
  b.created_by AS createdBy, a.username AS createdByUsername,
  (SELECT whole.revoked_at FROM revocations AS whole WHERE whole.batch_id = b.id AND whole.serial IS NULL) AS revokedAt`

const BATCHES = `batches AS b
  JOIN ticket_types AS t ON t.id = b.ticket_type_id
  JOIN events AS e ON e.id = t.event_id
  LEFT JOIN accounts AS a ON a.id = b.created_by`

/**
 * better-sqlite3 is synchronous: each method runs to completion before another starts, and
 * every multi-statement change is one transaction. The async signatures are the interface's.
 * Storage faults (full disk, read-only file, I/O errors, …) reject with StorageUnavailableError.
 */
export class SqliteTicketRepository implements TicketRepository {
  readonly #db: Database.Database
  readonly #statements

  constructor(db: Database.Database) {
    this.#db = db
    this.#statements = {
      ping: db.prepare('SELECT 1').pluck(),
      ticketType: db.prepare<[string], { capacity: number; issued: number }>('SELECT capacity, issued FROM ticket_types WHERE id = ?'),
      // The batch takes the type's name and price (and the event's name, for older readers) as they are now.
      insertBatch: db.prepare<[NewBatch]>(`
        INSERT INTO batches (id, event, ticket_type, price_minor, currency, quantity, public_key, created_at, created_by, ticket_type_id)
        SELECT @id, e.name, t.name, t.price_minor, t.currency, @quantity, @publicKey, @createdAt, @createdBy, t.id
        FROM ticket_types AS t JOIN events AS e ON e.id = t.event_id WHERE t.id = @ticketTypeId`),
      reserve: db.prepare('UPDATE ticket_types SET issued = issued + ? WHERE id = ?'),
      giveBack: db.prepare(`
        UPDATE ticket_types SET issued = issued - (SELECT quantity - tickets_received FROM batches WHERE id = @batchId)
        WHERE id = (SELECT ticket_type_id FROM batches WHERE id = @batchId)`),
      selectBatch: db.prepare<[string], BatchRecord>(`SELECT ${BATCH_COLUMNS} FROM ${BATCHES} WHERE b.id = ?`),
      // A range on the primary key, so it reads the index, not the table.
      batchesWithIdPrefix: db.prepare<[string, string, number], BatchRecord>(
        `SELECT ${BATCH_COLUMNS} FROM ${BATCHES} WHERE b.id >= ? AND b.id < ? ORDER BY b.id LIMIT ?`,
      ),
      // A null parameter means "any": one statement serves every combination of the filters.
      listBatches: db.prepare<
        [{ state: BatchState | null; createdBy: number | null; eventId: string | null; limit: number }],
        BatchRecord
      >(`
        SELECT ${BATCH_COLUMNS} FROM ${BATCHES}
        WHERE (@state IS NULL OR b.state = @state) AND (@createdBy IS NULL OR b.created_by = @createdBy)
          AND (@eventId IS NULL OR t.event_id = @eventId)
        ORDER BY b.created_at DESC, b.rowid DESC LIMIT @limit`),
      chunkIndexes: db.prepare<[string], number>('SELECT chunk_index FROM chunks WHERE batch_id = ? ORDER BY chunk_index').pluck(),
      chunkDigest: db.prepare<[string, number], string>('SELECT digest FROM chunks WHERE batch_id = ? AND chunk_index = ?').pluck(),
      insertChunk: db.prepare('INSERT INTO chunks (batch_id, chunk_index, digest, ticket_count, committed_at) VALUES (?, ?, ?, ?, ?)'),
      insertTicket: db.prepare('INSERT INTO tickets (batch_id, serial, token) VALUES (?, ?, ?)'),
      countChunk: db.prepare(
        'UPDATE batches SET chunks_received = chunks_received + 1, tickets_received = tickets_received + ? WHERE id = ?',
      ),
      finishBatch: db.prepare("UPDATE batches SET state = ?, finished_at = ? WHERE id = ? AND state = 'open'"),
      ticketToken: db.prepare<[string, number], string>('SELECT token FROM tickets WHERE batch_id = ? AND serial = ?').pluck(),
      ticketPage: db.prepare<[string, number, number, number], StoredTicket>(
        'SELECT serial, token FROM tickets WHERE batch_id = ? AND serial BETWEEN ? AND ? ORDER BY serial LIMIT ?',
      ),
    }
  }

  async ping(): Promise<void> {
    return sqliteOperation('ping', () => {
      this.#statements.ping.get()
    })
  }

  /** One IMMEDIATE transaction: the write lock is held from the check of what is left to the reservation. */
  async createBatch(batch: NewBatch): Promise<CreateBatchResult> {
    const s = this.#statements
    const create = this.#db.transaction((): CreateBatchResult => {
      const existing = this.#batch(batch.id)
      if (existing) return { outcome: 'existing', batch: existing }
      const type = s.ticketType.get(batch.ticketTypeId)
      if (!type) return { outcome: 'ticket-type-not-found' }
      const remaining = type.capacity - type.issued
      if (batch.quantity > remaining) return { outcome: 'capacity-exceeded', capacity: type.capacity, remaining }
      s.insertBatch.run(batch)
      s.reserve.run(batch.quantity, batch.ticketTypeId)
      return { outcome: 'created', batch: this.#batch(batch.id)! }
    })
    return sqliteOperation('createBatch', () => create.immediate())
  }

  async getBatch(id: string): Promise<BatchRecord | undefined> {
    return sqliteOperation('getBatch', () => this.#batch(id))
  }

  async batchesWithIdPrefix(prefix: string, limit: number): Promise<BatchRecord[]> {
    return sqliteOperation('batchesWithIdPrefix', () => this.#statements.batchesWithIdPrefix.all(prefix, `${prefix}\uffff`, limit))
  }

  async listBatches({ state, createdBy, eventId, limit }: ListBatchesQuery): Promise<BatchRecord[]> {
    return sqliteOperation('listBatches', () =>
      this.#statements.listBatches.all({ state: state ?? null, createdBy: createdBy ?? null, eventId: eventId ?? null, limit }),
    )
  }

  async committedChunkRanges(batchId: string) {
    // Streams the primary-key index in order; no array of every index is built.
    return sqliteOperation('committedChunkRanges', () => toRanges(this.#statements.chunkIndexes.iterate(batchId)))
  }

  async chunkDigest(batchId: string, index: number): Promise<string | undefined> {
    return sqliteOperation('chunkDigest', () => this.#statements.chunkDigest.get(batchId, index))
  }

  /** Resolves only once the transaction has committed; any failure rolls all of it back. */
  async commitChunk(chunk: ChunkToCommit): Promise<CommitChunkResult> {
    const s = this.#statements
    const commit = this.#db.transaction((): CommitChunkResult => {
      const batch = this.#batch(chunk.batchId)
      if (!batch) return { outcome: 'batch-not-found' }
      const storedDigest = s.chunkDigest.get(chunk.batchId, chunk.index)
      if (storedDigest !== undefined) {
        return storedDigest === chunk.digest ? { outcome: 'duplicate', batch } : { outcome: 'conflict', batch, storedDigest }
      }
      if (batch.state !== 'open') return { outcome: 'batch-not-open', batch }
      s.insertChunk.run(chunk.batchId, chunk.index, chunk.digest, chunk.tickets.length, chunk.committedAt)
      for (const ticket of chunk.tickets) s.insertTicket.run(chunk.batchId, ticket.serial, ticket.token)
      s.countChunk.run(chunk.tickets.length, chunk.batchId)
      return { outcome: 'committed', batch: this.#batch(chunk.batchId)! }
    })
    return sqliteOperation('commitChunk', () => commit.immediate())
  }

  async finishBatch(batchId: string, state: FinalState, finishedAt: string): Promise<FinishBatchResult> {
    const finish = this.#db.transaction((): FinishBatchResult => {
      const batch = this.#batch(batchId)
      if (!batch) return { outcome: 'batch-not-found' }
      if (batch.state === state) return { outcome: 'already', batch }
      if (batch.state !== 'open') return { outcome: 'not-open', batch }
      if (state === 'completed' && batch.chunksReceived < chunkCount(batch.quantity)) {
        return { outcome: 'incomplete', batch }
      }
      if (state === 'cancelled') this.#statements.giveBack.run({ batchId })
      this.#statements.finishBatch.run(state, finishedAt, batchId)
      return { outcome: 'finished', batch: this.#batch(batchId)! }
    })
    return sqliteOperation('finishBatch', () => finish.immediate())
  }

  async ticketToken(batchId: string, serial: number): Promise<string | undefined> {
    return sqliteOperation('ticketToken', () => this.#statements.ticketToken.get(batchId, serial))
  }

  /**
   * Pages by serial (`serial BETWEEN next AND last LIMIT n` on the primary key) rather than one
   * long-lived `stmt.iterate()`: while a better-sqlite3 iterator is open, its connection refuses
   * every write ("This database connection is busy executing a query"), so a download waiting on
   * a slow client would stall every upload, check-in and sign-in sharing the connection for its
   * whole length. A page costs one primary-key seek.
   */
  async *streamTickets(batchId: string, [first, last]: Range, pageSize = DEFAULT_TICKET_PAGE): AsyncGenerator<StoredTicket[]> {
    let next = first
    while (next <= last) {
      const page = await sqliteOperation('streamTickets', () => this.#statements.ticketPage.all(batchId, next, last, pageSize))
      if (page.length === 0) return
      yield page
      next = page[page.length - 1]!.serial + 1
    }
  }

  #batch(id: string): BatchRecord | undefined {
    return this.#statements.selectBatch.get(id)
  }
}
