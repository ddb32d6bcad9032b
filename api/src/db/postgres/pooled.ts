// The two ways a repository talks to PostgreSQL: one statement on any pooled connection, or a
// transaction on one connection. Both reject with translated errors (postgres-errors.ts).
import type pg from 'pg'
import { postgresFaultOf, postgresOperation } from './postgres-errors.ts'

/** One statement, one round trip, its own implicit transaction. */
export function pooledQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(
  pool: pg.Pool,
  operation: string,
  text: string,
  values?: unknown[],
): Promise<pg.QueryResult<R>> {
  return postgresOperation(operation, () => pool.query<R>(text, values))
}

/**
 * Runs `work` in one READ COMMITTED transaction on a pooled connection: committed if it returns,
 * rolled back if it throws. A connection that failed on the network is destroyed rather than
 * returned to the pool.
 */
export function inTransaction<T>(pool: pg.Pool, operation: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return postgresOperation(operation, async () => {
    const client = await pool.connect()
    let broken: Error | undefined
    try {
      await client.query('BEGIN')
      const result = await work(client)
      await client.query('COMMIT')
      return result
    } catch (error) {
      if (postgresFaultOf(error)?.fault === 'unreachable') broken = error as Error
      else await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError))
      throw error
    } finally {
      client.release(broken)
    }
  })
}
