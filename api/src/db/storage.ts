// What the app, the plugins and the command line hold: every repository on one database, opened
// by openStorage (open-storage.ts) from the configuration. Nothing outside db/sqlite/ and
// db/postgres/ knows which database it is.
import type { AccountRepository } from './account-repository.ts'
import type { AuditRepository } from './audit-repository.ts'
import type { DeviceRepository } from './device-repository.ts'
import type { CheckinRepository } from './checkin-repository.ts'
import type { EventRepository } from './event-repository.ts'
import type { LoginAttemptRepository } from './login-attempt-repository.ts'
import type { TicketRepository } from './ticket-repository.ts'

/**
 * NORMAL (with WAL) may lose the last transactions on power loss but never corrupts the database;
 * FULL also survives power loss, at the cost of an fsync per commit.
 */
export type SynchronousMode = 'NORMAL' | 'FULL'
export const SYNCHRONOUS_MODES: readonly SynchronousMode[] = ['NORMAL', 'FULL']

/** The embedded default: one SQLite file, one process. */
export interface SqliteConfig {
  backend: 'sqlite'
  /** The database file; created (with its folder) and migrated if needed. */
  path: string
  synchronous: SynchronousMode
}

/** PostgreSQL, for several stateless instances on one database. */
export interface PostgresConfig {
  backend: 'postgres'
  /** `postgres://user:password@host:port/database?…`; never logged with its password. */
  url: string
  /** Connections this instance keeps at most; requests beyond wait for one. */
  poolSize: number
  /** A request that cannot get a connection within this is answered 503. */
  connectionTimeoutMs: number
  /** The server cancels any statement that runs longer (statement_timeout). */
  statementTimeoutMs: number
}

export type StorageConfig = SqliteConfig | PostgresConfig

export interface Storage {
  readonly backend: StorageConfig['backend']
  tickets: TicketRepository
  accounts: AccountRepository
  checkins: CheckinRepository
  events: EventRepository
  loginAttempts: LoginAttemptRepository
  devices: DeviceRepository
  audit: AuditRepository
  /** What an operator should fix, found when the database was opened (a file other users can read); logged at start. */
  readonly warnings: readonly string[]
  /** The settings in force, read back from the database itself, for the start-up log. */
  describe(): Promise<Record<string, unknown>>
  /** Closes the connections every repository shares. Closing twice is harmless. */
  close(): Promise<void>
}
