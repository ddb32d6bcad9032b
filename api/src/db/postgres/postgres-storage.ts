import type { PostgresConfig, Storage } from '../storage.ts'
import { migratePostgres } from './migrations.ts'
import { PostgresAccountRepository } from './postgres-account-repository.ts'
import { PostgresAuditRepository } from './postgres-audit-repository.ts'
import { PostgresDeviceRepository } from './postgres-device-repository.ts'
import { PostgresCheckinRepository } from './postgres-checkin-repository.ts'
import { translatePostgresError } from './postgres-errors.ts'
import { PostgresEventRepository } from './postgres-event-repository.ts'
import { PostgresLoginAttemptRepository } from './postgres-login-attempt-repository.ts'
import { createPool, redactedUrl } from './postgres-pool.ts'
import { PostgresTicketRepository } from './postgres-ticket-repository.ts'

/** Opens the pool and migrates the database (one instance at a time; see migrations.ts). */
export async function openPostgresStorage(config: Omit<PostgresConfig, 'backend'>): Promise<Storage> {
  const pool = createPool(config)
  try {
    await migratePostgres(pool)
  } catch (error) {
    await pool.end()
    throw translatePostgresError(error, 'migrate')
  }
  let closed = false
  return {
    backend: 'postgres',
    warnings: [],
    tickets: new PostgresTicketRepository(pool),
    accounts: new PostgresAccountRepository(pool),
    checkins: new PostgresCheckinRepository(pool),
    events: new PostgresEventRepository(pool),
    loginAttempts: new PostgresLoginAttemptRepository(pool),
    devices: new PostgresDeviceRepository(pool),
    audit: new PostgresAuditRepository(pool),
    describe: async () => {
      const { rows } = await pool.query<{ version: string; synchronousCommit: string; isolation: string }>(
        `SELECT current_setting('server_version') AS version, current_setting('synchronous_commit') AS "synchronousCommit",
                current_setting('default_transaction_isolation') AS isolation`,
      )
      return {
        backend: 'postgres',
        url: redactedUrl(config.url),
        serverVersion: rows[0]!.version,
        synchronousCommit: rows[0]!.synchronousCommit,
        isolation: rows[0]!.isolation,
        poolSize: config.poolSize,
        connectionTimeoutMs: config.connectionTimeoutMs,
        statementTimeoutMs: config.statementTimeoutMs,
      }
    },
    close: async () => {
      if (closed) return
      closed = true
      await pool.end()
    },
  }
}
