import { randomUUID } from 'node:crypto'
import type Database from 'better-sqlite3'
import type { AttemptLimit, AttemptReservation, LoginAttemptRepository } from '../login-attempt-repository.ts'
import { sqliteOperation } from './sqlite-errors.ts'

/**
 * Counting and reserving run in one IMMEDIATE transaction, which holds the database's write lock:
 * every process on the file waits its turn, so no two callers both see the last free attempt.
 */
export class SqliteLoginAttemptRepository implements LoginAttemptRepository {
  readonly #db: Database.Database
  readonly #statements

  constructor(db: Database.Database) {
    this.#db = db
    this.#statements = {
      forget: db.prepare<[string, string]>('DELETE FROM login_attempts WHERE attempt_key = ? AND attempted_at <= ?'),
      window: db.prepare<[string], { count: number; oldest: string | null }>(
        'SELECT count(*) AS count, min(attempted_at) AS oldest FROM login_attempts WHERE attempt_key = ?',
      ),
      insert: db.prepare<[string, string, string]>('INSERT INTO login_attempts (attempt_key, reservation, attempted_at) VALUES (?, ?, ?)'),
      release: db.prepare<[string]>('DELETE FROM login_attempts WHERE reservation = ?'),
    }
  }

  async reserve(limits: readonly AttemptLimit[], now: Date): Promise<AttemptReservation> {
    const s = this.#statements
    const reserve = this.#db.transaction((): AttemptReservation => {
      for (const limit of limits) {
        s.forget.run(limit.key, new Date(now.getTime() - limit.windowMs).toISOString())
        const { count, oldest } = s.window.get(limit.key)!
        if (count >= limit.max) {
          const retryAfterMs = Date.parse(oldest!) + limit.windowMs - now.getTime()
          return { allowed: false, key: limit.key, retryAfterMs: Math.max(0, retryAfterMs) }
        }
      }
      const reservation = randomUUID()
      for (const limit of limits) s.insert.run(limit.key, reservation, now.toISOString())
      return { allowed: true, reservation }
    })
    return sqliteOperation('reserveLoginAttempt', () => reserve.immediate())
  }

  async release(reservation: string): Promise<void> {
    return sqliteOperation('releaseLoginAttempt', () => {
      this.#statements.release.run(reservation)
    })
  }
}
