import { randomUUID } from 'node:crypto'
import type pg from 'pg'
import type { AttemptLimit, AttemptReservation, LoginAttemptRepository } from '../login-attempt-repository.ts'
import { inTransaction, pooledQuery } from './pooled.ts'

/**
 * Each key is counted under a transaction-scoped advisory lock on the key's hash, taken before the
 * count is read: callers on one key, from any instance, count one after another, so no two of
 * them both see the last free attempt. The locks are taken in key order, so that two callers
 * sharing two keys cannot deadlock; they end with the transaction.
 */
export class PostgresLoginAttemptRepository implements LoginAttemptRepository {
  readonly #pool: pg.Pool

  constructor(pool: pg.Pool) {
    this.#pool = pool
  }

  async reserve(limits: readonly AttemptLimit[], now: Date): Promise<AttemptReservation> {
    const ordered = [...limits].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    return inTransaction(this.#pool, 'reserveLoginAttempt', async (client): Promise<AttemptReservation> => {
      for (const limit of ordered) await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [limit.key])
      for (const limit of ordered) {
        await client.query('DELETE FROM login_attempts WHERE attempt_key = $1 AND attempted_at <= $2', [
          limit.key,
          new Date(now.getTime() - limit.windowMs).toISOString(),
        ])
        const { rows } = await client.query<{ count: number; oldest: string | null }>(
          'SELECT count(*) AS count, min(attempted_at) AS oldest FROM login_attempts WHERE attempt_key = $1',
          [limit.key],
        )
        const { count, oldest } = rows[0]!
        if (count >= limit.max) {
          return { allowed: false, key: limit.key, retryAfterMs: Math.max(0, Date.parse(oldest!) + limit.windowMs - now.getTime()) }
        }
      }
      const reservation = randomUUID()
      await client.query(
        'INSERT INTO login_attempts (attempt_key, reservation, attempted_at) SELECT key, $2, $3 FROM unnest($1::text[]) AS key',
        [ordered.map((limit) => limit.key), reservation, now.toISOString()],
      )
      return { allowed: true, reservation }
    })
  }

  async release(reservation: string): Promise<void> {
    await pooledQuery(this.#pool, 'releaseLoginAttempt', 'DELETE FROM login_attempts WHERE reservation = $1', [reservation])
  }
}
