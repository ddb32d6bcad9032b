import type pg from 'pg'
import { chainedEntry, type AuditEntry, type NewAuditEntry } from '../../audit/audit-chain.ts'
import type { AuditQuery, AuditRepository } from '../audit-repository.ts'
import { inTransaction, pooledQuery } from './pooled.ts'

const COLUMNS = 'seq, at, actor, ip, device, action, subject, detail, prev_hash AS "prevHash", hash'
/** Held for the length of one append, by whichever instance appends. */
const AUDIT_LOCK_KEY = 7_163_640_022

/** seq is bigint: read back as a number, like the counts (postgres-pool.ts). */
const entryOf = (row: AuditEntry): AuditEntry => ({ ...row, seq: Number(row.seq) })

export class PostgresAuditRepository implements AuditRepository {
  readonly #pool: pg.Pool

  constructor(pool: pg.Pool) {
    this.#pool = pool
  }

  async append(entry: NewAuditEntry): Promise<AuditEntry> {
    return inTransaction(this.#pool, 'appendAudit', async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK_KEY])
      const { rows } = await client.query<{ seq: string; hash: string }>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1')
      const last = rows[0] && { seq: Number(rows[0].seq), hash: rows[0].hash }
      const chained = chainedEntry(last, entry)
      await client.query(
        `INSERT INTO audit_log (seq, at, actor, ip, device, action, subject, detail, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          chained.seq,
          chained.at,
          chained.actor,
          chained.ip,
          chained.device,
          chained.action,
          chained.subject,
          chained.detail,
          chained.prevHash,
          chained.hash,
        ],
      )
      return chained
    })
  }

  async list(query: AuditQuery): Promise<AuditEntry[]> {
    const clauses: string[] = []
    const values: unknown[] = []
    const add = (clause: (placeholder: string) => string, value: unknown) => {
      values.push(value)
      clauses.push(clause(`$${values.length}`))
    }
    if (query.actor !== undefined) add((p) => `actor = ${p}`, query.actor)
    if (query.action !== undefined) {
      if (query.action.endsWith('.')) add((p) => `starts_with(action, ${p})`, query.action)
      else add((p) => `action = ${p}`, query.action)
    }
    if (query.from !== undefined) add((p) => `at >= ${p}`, query.from)
    if (query.to !== undefined) add((p) => `at < ${p}`, query.to)
    if (query.beforeSeq !== undefined) add((p) => `seq < ${p}`, query.beforeSeq)
    values.push(query.limit)
    const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''
    const { rows } = await pooledQuery<AuditEntry>(
      this.#pool,
      'listAudit',
      `SELECT ${COLUMNS} FROM audit_log ${where} ORDER BY seq DESC LIMIT $${values.length}`,
      values,
    )
    return rows.map(entryOf)
  }

  async *scan(pageSize = 1_000): AsyncIterable<AuditEntry[]> {
    let after = 0
    for (;;) {
      const { rows } = await pooledQuery<AuditEntry>(
        this.#pool,
        'scanAudit',
        `SELECT ${COLUMNS} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2`,
        [after, pageSize],
      )
      if (rows.length === 0) return
      const page = rows.map(entryOf)
      yield page
      after = page.at(-1)!.seq
    }
  }

  async pruneBefore(before: string): Promise<number> {
    return (await pooledQuery(this.#pool, 'pruneAudit', 'DELETE FROM audit_log WHERE at < $1', [before])).rowCount ?? 0
  }
}
