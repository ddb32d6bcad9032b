import type { AccountRepository } from './account-repository.ts'
import { openSqlite, type OpenSqliteOptions } from './open-sqlite.ts'
import { SqliteAccountRepository } from './sqlite-account-repository.ts'
import { SqliteTicketRepository } from './sqlite-ticket-repository.ts'
import type { TicketRepository } from './ticket-repository.ts'

export interface SqliteStorage {
  tickets: TicketRepository
  accounts: AccountRepository
  /** Closes the one connection both repositories share. */
  close(): Promise<void>
}

/** Opens (and migrates) the database once, for the ticket and account repositories together. */
export function openSqliteStorage(path: string, options: OpenSqliteOptions = {}): SqliteStorage {
  const db = openSqlite(path, options)
  const tickets = new SqliteTicketRepository(db)
  return { tickets, accounts: new SqliteAccountRepository(db), close: () => tickets.close() }
}
