import { chunkCount, type BatchState, type Range } from '@boxoffice/tickets'
import type pg from 'pg'
import Cursor from 'pg-cursor'
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
import { postgresOperation, translatePostgresError } from './postgres-errors.ts'
import { inTransaction, pooledQuery } from './pooled.ts'

const DEFAULT_TICKET_PAGE = 1_000
/**
 * How long one export may take end to end, the client's download included. A cursor's fetches
 * all count against one statement's timer, so the statement timeout of ordinary requests (10 s)
 * would cut a large export on a slow network; this bounds how long a client that stops reading
 * can hold the connection.
 */
const EXPORT_TIMEOUT_MS = 10 * 60_000

/** The BatchRecord columns of a batch row reachable as `row` (a table alias, or a composite in parentheses). */
function batchColumns(row: string): string {
  return `
    ${row}.id, t.event_id AS "eventId", e.name AS event, ${row}.ticket_type_id AS "ticketTypeId", ${row}.ticket_type AS "ticketType", ${row}.price_minor AS "priceMinor", ${row}.currency,
    ${row}.quantity, ${row}.public_key AS "publicKey", ${row}.state, ${row}.created_at AS "createdAt",
    ${row}.finished_at AS "finishedAt", ${row}.chunks_received AS "chunksReceived",
    ${row}.tickets_received AS "ticketsReceived", ${row}.created_by AS "createdBy", a.username AS "createdByUsername",
    (SELECT whole.revoked_at FROM revocations AS whole WHERE whole.batch_id = ${row}.id AND whole.serial IS NULL) AS "revokedAt"`
}

/** What a batch row `row` is read with: its type, its event and its creator (left joins: commitChunk's row may be null). */
function batchJoins(row: string): string {
  return `LEFT JOIN ticket_types AS t ON t.id = ${row}.ticket_type_id
    LEFT JOIN events AS e ON e.id = t.event_id
    LEFT JOIN accounts AS a ON a.id = ${row}.created_by`
}

const BATCHES = `batches AS b ${batchJoins('b')}`
const SELECT_BATCH = `SELECT ${batchColumns('b')} FROM ${BATCHES} WHERE b.id = $1`

type CommitRow = BatchRecord & { outcome: CommitChunkResult['outcome']; storedDigest: string | null }

/**
 * Every statement is one round trip on a pooled connection; a chunk commit is one call of the
 * `boxoffice_commit_chunk` function (migrations.ts), which inserts its 50 tickets from two arrays
 * with `unnest` in one statement. Storage faults reject with StorageUnavailableError.
 */
export class PostgresTicketRepository implements TicketRepository {
  readonly #pool: pg.Pool

  constructor(pool: pg.Pool) {
    this.#pool = pool
  }

  async ping(): Promise<void> {
    await pooledQuery(this.#pool, 'ping', 'SELECT 1')
  }

  /**
   * The reservation is a conditional UPDATE of the type's row (`issued + q <= capacity`), which
   * locks the row to the end of the transaction: reservations, capacity changes and cancellations
   * of one type take turns, on every instance, and each sees what the previous one left. The batch
   * is inserted under that lock; a concurrent creation of the same id, which waited on the lock,
   * finds it there (`ON CONFLICT DO NOTHING` inserts nothing) and takes its reservation back.
   */
  async createBatch(batch: NewBatch): Promise<CreateBatchResult> {
    return inTransaction(this.#pool, 'createBatch', async (client): Promise<CreateBatchResult> => {
      const stored = async () => (await client.query<BatchRecord>(SELECT_BATCH, [batch.id])).rows[0]
      const existing = await stored()
      if (existing) return { outcome: 'existing', batch: existing }
      const reserved = await client.query('UPDATE ticket_types SET issued = issued + $2 WHERE id = $1 AND issued + $2 <= capacity', [
        batch.ticketTypeId,
        batch.quantity,
      ])
      if (reserved.rowCount === 0) {
        const { rows } = await client.query<{ capacity: number; issued: number }>(
          'SELECT capacity, issued FROM ticket_types WHERE id = $1',
          [batch.ticketTypeId],
        )
        const type = rows[0]
        if (!type) return { outcome: 'ticket-type-not-found' }
        return { outcome: 'capacity-exceeded', capacity: type.capacity, remaining: type.capacity - type.issued }
      }
      const inserted = await client.query(
        `INSERT INTO batches (id, event, ticket_type, price_minor, currency, quantity, public_key, created_at, created_by, ticket_type_id)
         SELECT $1, e.name, t.name, t.price_minor, t.currency, $2, $3, $4, $5, t.id
         FROM ticket_types AS t JOIN events AS e ON e.id = t.event_id WHERE t.id = $6
         ON CONFLICT (id) DO NOTHING`,
        [batch.id, batch.quantity, batch.publicKey, batch.createdAt, batch.createdBy, batch.ticketTypeId],
      )
      if (inserted.rowCount === 0) {
        await client.query('UPDATE ticket_types SET issued = issued - $2 WHERE id = $1', [batch.ticketTypeId, batch.quantity])
        return { outcome: 'existing', batch: (await stored())! }
      }
      return { outcome: 'created', batch: (await stored())! }
    })
  }

  async getBatch(id: string): Promise<BatchRecord | undefined> {
    return (await pooledQuery<BatchRecord>(this.#pool, 'getBatch', SELECT_BATCH, [id])).rows[0]
  }

  async batchesWithIdPrefix(prefix: string, limit: number): Promise<BatchRecord[]> {
    const { rows } = await pooledQuery<BatchRecord>(
      this.#pool,
      'batchesWithIdPrefix',
      `SELECT ${batchColumns('b')} FROM ${BATCHES} WHERE starts_with(b.id, $1) ORDER BY b.id LIMIT $2`,
      [prefix, limit],
    )
    return rows
  }

  async listBatches({ state, createdBy, eventId, limit }: ListBatchesQuery): Promise<BatchRecord[]> {
    const { rows } = await pooledQuery<BatchRecord>(
      this.#pool,
      'listBatches',
      // A null parameter means "any": one statement serves every combination of the filters.
      `SELECT ${batchColumns('b')} FROM ${BATCHES}
       WHERE ($1::text IS NULL OR b.state = $1) AND ($2::integer IS NULL OR b.created_by = $2)
         AND ($4::text IS NULL OR t.event_id = $4)
       ORDER BY b.created_at DESC, b.seq DESC LIMIT $3`,
      [state ?? null, createdBy ?? null, limit, eventId ?? null],
    )
    return rows
  }

  /** Runs of consecutive indexes grouped in the database (index − row number is constant within a run): one row per range. */
  async committedChunkRanges(batchId: string): Promise<Range[]> {
    const { rows } = await pooledQuery<{ first: number; last: number }>(
      this.#pool,
      'committedChunkRanges',
      `SELECT min(chunk_index) AS first, max(chunk_index) AS last
       FROM (SELECT chunk_index, chunk_index - row_number() OVER (ORDER BY chunk_index) AS run FROM chunks WHERE batch_id = $1) AS indexes
       GROUP BY run ORDER BY first`,
      [batchId],
    )
    return rows.map(({ first, last }) => [first, last])
  }

  async chunkDigest(batchId: string, index: number): Promise<string | undefined> {
    const { rows } = await pooledQuery<{ digest: string }>(
      this.#pool,
      'chunkDigest',
      'SELECT digest FROM chunks WHERE batch_id = $1 AND chunk_index = $2',
      [batchId, index],
    )
    return rows[0]?.digest
  }

  /**
   * One statement, so one implicit transaction: the function locks the batch row (FOR NO KEY
   * UPDATE), checks the chunk and the state, inserts, and counts; any failure rolls all of it
   * back. Concurrent commits of the batch wait on that lock, then see what the first committed.
   */
  async commitChunk(chunk: ChunkToCommit): Promise<CommitChunkResult> {
    const serials = chunk.tickets.map((ticket) => ticket.serial)
    const tokens = chunk.tickets.map((ticket) => ticket.token)
    const { rows } = await pooledQuery<CommitRow>(
      this.#pool,
      'commitChunk',
      `SELECT r.outcome, r.stored_digest AS "storedDigest", ${batchColumns('(r.batch)')}
       FROM boxoffice_commit_chunk($1, $2, $3, $4::integer[], $5::text[], $6) AS r
       ${batchJoins('(r.batch)')}`,
      [chunk.batchId, chunk.index, chunk.digest, serials, tokens, chunk.committedAt],
    )
    const { outcome, storedDigest, ...batch } = rows[0]!
    switch (outcome) {
      case 'batch-not-found':
        return { outcome }
      case 'conflict':
        return { outcome, batch, storedDigest: storedDigest! }
      default:
        return { outcome, batch }
    }
  }

  /** The same row lock as commitChunk, so completion counts every chunk committed before it and none after. */
  async finishBatch(batchId: string, state: FinalState, finishedAt: string): Promise<FinishBatchResult> {
    return inTransaction(this.#pool, 'finishBatch', async (client): Promise<FinishBatchResult> => {
      const locked = await client.query<{ state: BatchState; quantity: number; chunksReceived: number }>(
        'SELECT state, quantity, chunks_received AS "chunksReceived" FROM batches WHERE id = $1 FOR NO KEY UPDATE',
        [batchId],
      )
      const current = locked.rows[0]
      if (!current) return { outcome: 'batch-not-found' }
      const batch = async () => (await client.query<BatchRecord>(SELECT_BATCH, [batchId])).rows[0]!
      if (current.state === state) return { outcome: 'already', batch: await batch() }
      if (current.state !== 'open') return { outcome: 'not-open', batch: await batch() }
      if (state === 'completed' && current.chunksReceived < chunkCount(current.quantity))
        return { outcome: 'incomplete', batch: await batch() }
      if (state === 'cancelled') {
        // What was never uploaded goes back to the type; the batch's row lock keeps its count still.
        await client.query(
          `UPDATE ticket_types AS t SET issued = t.issued - (b.quantity - b.tickets_received)
           FROM batches AS b WHERE b.id = $1 AND t.id = b.ticket_type_id`,
          [batchId],
        )
      }
      await client.query("UPDATE batches SET state = $1, finished_at = $2 WHERE id = $3 AND state = 'open'", [state, finishedAt, batchId])
      return { outcome: 'finished', batch: await batch() }
    })
  }

  async ticketToken(batchId: string, serial: number): Promise<string | undefined> {
    const { rows } = await pooledQuery<{ token: string }>(
      this.#pool,
      'ticketToken',
      'SELECT token FROM tickets WHERE batch_id = $1 AND serial = $2',
      [batchId, serial],
    )
    return rows[0]?.token
  }

  /**
   * A cursor on one pooled connection, in a read-only transaction, `pageSize` rows per fetch: the
   * server keeps the rest, so memory stays at one page. The transaction's statement timeout is
   * EXPORT_TIMEOUT_MS. The connection goes back to the pool when the iteration ends, fails or is
   * abandoned (an export cancelled by its client).
   */
  async *streamTickets(batchId: string, [first, last]: Range, pageSize = DEFAULT_TICKET_PAGE): AsyncGenerator<StoredTicket[]> {
    const client = await postgresOperation('streamTickets', () => this.#pool.connect())
    let broken: Error | undefined
    let cursor: Cursor<StoredTicket> | undefined
    try {
      await client.query('BEGIN READ ONLY')
      await client.query(`SET LOCAL statement_timeout = ${EXPORT_TIMEOUT_MS}`)
      cursor = client.query(
        new Cursor<StoredTicket>('SELECT serial, token FROM tickets WHERE batch_id = $1 AND serial BETWEEN $2 AND $3 ORDER BY serial', [
          batchId,
          first,
          last,
        ]),
      )
      for (;;) {
        const page = await cursor.read(pageSize)
        if (page.length === 0) break
        yield page
      }
    } catch (error) {
      broken = error as Error
      throw translatePostgresError(error, 'streamTickets')
    } finally {
      if (cursor) await cursor.close().catch((error: Error) => (broken ??= error))
      // Ends the transaction whether the rows were all read or not; a broken connection is dropped instead.
      if (!broken) await client.query('COMMIT').catch((error: Error) => (broken = error))
      client.release(broken)
    }
  }
}
