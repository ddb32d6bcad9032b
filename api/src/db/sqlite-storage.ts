import type Database from 'better-sqlite3'
import type { AccountRepository } from './account-repository.ts'
import type { CheckinRepository } from './checkin-repository.ts'
import { openSqlite, type OpenSqliteOptions } from './open-sqlite.ts'
import { SqliteAccountRepository } from './sqlite-account-repository.ts'
import { SqliteCheckinRepository } from './sqlite-checkin-repository.ts'
import { SqliteTicketRepository } from './sqlite-ticket-repository.ts'
import type { TicketRepository } from './ticket-repository.ts'

/** The durability settings in force on the connection, read back from SQLite itself. */
export interface DurabilitySettings {
  journalMode: string
  synchronous: 'OFF' | 'NORMAL' | 'FULL' | 'EXTRA'
}

export interface SqliteStorage {
  tickets: TicketRepository
  accounts: AccountRepository
  checkins: CheckinRepository
  durability(): DurabilitySettings
  /** Closes the one connection both repositories share. */
  close(): Promise<void>
}

/** Opens (and migrates) the database once, for the ticket and account repositories together. */
export function openSqliteStorage(path: string, options: OpenSqliteOptions = {}): SqliteStorage {
  return sqliteStorageOn(openSqlite(path, options))
}

/** Both repositories on a connection already open and migrated; closing the storage closes it. */
export function sqliteStorageOn(db: Database.Database): SqliteStorage {
  const tickets = new SqliteTicketRepository(db)
  return {
    tickets,
    accounts: new SqliteAccountRepository(db),
    checkins: new SqliteCheckinRepository(db),
    durability: () => ({
      journalMode: db.pragma('journal_mode', { simple: true }) as string,
      synchronous: SYNCHRONOUS_NAMES[db.pragma('synchronous', { simple: true }) as number] ?? 'OFF',
    }),
    close: () => tickets.close(),
  }
}

// PRAGMA synchronous reads back as a number.
const SYNCHRONOUS_NAMES: readonly DurabilitySettings['synchronous'][] = ['OFF', 'NORMAL', 'FULL', 'EXTRA']
