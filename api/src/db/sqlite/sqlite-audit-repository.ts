import type Database from 'better-sqlite3'
import { chainedEntry, type AuditEntry, type NewAuditEntry } from '../../audit/audit-chain.ts'
import type { AuditQuery, AuditRepository } from '../audit-repository.ts'
import { sqliteOperation } from './sqlite-errors.ts'

const COLUMNS = 'seq, at, actor, ip, device, action, subject, detail, prev_hash AS prevHash, hash'

export class SqliteAuditRepository implements AuditRepository {
  readonly #db: Database.Database
  readonly #statements

  constructor(db: Database.Database) {
    this.#db = db
    this.#statements = {
      last: db.prepare<[], Pick<AuditEntry, 'seq' | 'hash'>>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1'),
      insert: db.prepare(`
        INSERT INTO audit_log (seq, at, actor, ip, device, action, subject, detail, prev_hash, hash)
        VALUES (@seq, @at, @actor, @ip, @device, @action, @subject, @detail, @prevHash, @hash)`),
      page: db.prepare<[number, number], AuditEntry>(`SELECT ${COLUMNS} FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?`),
      prune: db.prepare('DELETE FROM audit_log WHERE at < ?'),
    }
  }

  async append(entry: NewAuditEntry): Promise<AuditEntry> {
    // IMMEDIATE takes the write lock before reading the last entry: no other connection appends in between.
    const append = this.#db.transaction(() => {
      const chained = chainedEntry(this.#statements.last.get(), entry)
      this.#statements.insert.run(chained)
      return chained
    })
    return sqliteOperation('appendAudit', () => append.immediate())
  }

  async list(query: AuditQuery): Promise<AuditEntry[]> {
    const { where, values } = auditFilter(query)
    return sqliteOperation('listAudit', () =>
      this.#db
        .prepare<unknown[], AuditEntry>(`SELECT ${COLUMNS} FROM audit_log ${where} ORDER BY seq DESC LIMIT ?`)
        .all(...values, query.limit),
    )
  }

  async *scan(pageSize = 1_000): AsyncIterable<AuditEntry[]> {
    let after = 0
    for (;;) {
      const page = await sqliteOperation('scanAudit', () => this.#statements.page.all(after, pageSize))
      if (page.length === 0) return
      yield page
      after = page.at(-1)!.seq
    }
  }

  async pruneBefore(before: string): Promise<number> {
    return sqliteOperation('pruneAudit', () => this.#statements.prune.run(before).changes)
  }
}

/** The query's filters as a WHERE clause with `?` placeholders. */
function auditFilter(query: AuditQuery): { where: string; values: unknown[] } {
  const clauses: string[] = []
  const values: unknown[] = []
  const add = (clause: string, ...parameters: unknown[]) => {
    clauses.push(clause)
    values.push(...parameters)
  }
  if (query.actor !== undefined) add('actor = ?', query.actor)
  if (query.action?.endsWith('.')) add('substr(action, 1, ?) = ?', query.action.length, query.action)
  else if (query.action !== undefined) add('action = ?', query.action)
  if (query.from !== undefined) add('at >= ?', query.from)
  if (query.to !== undefined) add('at < ?', query.to)
  if (query.beforeSeq !== undefined) add('seq < ?', query.beforeSeq)
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', values }
}
