import type Database from 'better-sqlite3'
import type { SqliteConfig, Storage } from '../storage.ts'
import { prepareDatabaseFiles } from './file-modes.ts'
import { openSqlite } from './open-sqlite.ts'
import { SqliteAccountRepository } from './sqlite-account-repository.ts'
import { SqliteAuditRepository } from './sqlite-audit-repository.ts'
import { SqliteDeviceRepository } from './sqlite-device-repository.ts'
import { SqliteCheckinRepository } from './sqlite-checkin-repository.ts'
import { SqliteEventRepository } from './sqlite-event-repository.ts'
import { SqliteLoginAttemptRepository } from './sqlite-login-attempt-repository.ts'
import { SqliteTicketRepository } from './sqlite-ticket-repository.ts'

/**
 * Opens (creating it and its folder, private to this user, and migrating) the file once, for
 * every repository together.
 */
export function openSqliteStorage(config: Omit<SqliteConfig, 'backend'>): Storage {
  const warnings = prepareDatabaseFiles(config.path)
  return sqliteStorageOn(openSqlite(config.path, { synchronous: config.synchronous }), warnings)
}

/** Every repository on a connection already open and migrated; closing the storage closes it. */
export function sqliteStorageOn(db: Database.Database, warnings: readonly string[] = []): Storage {
  return {
    backend: 'sqlite',
    warnings,
    tickets: new SqliteTicketRepository(db),
    accounts: new SqliteAccountRepository(db),
    checkins: new SqliteCheckinRepository(db),
    events: new SqliteEventRepository(db),
    loginAttempts: new SqliteLoginAttemptRepository(db),
    devices: new SqliteDeviceRepository(db),
    audit: new SqliteAuditRepository(db),
    describe: async () => ({
      backend: 'sqlite',
      file: db.name,
      journalMode: db.pragma('journal_mode', { simple: true }) as string,
      synchronous: SYNCHRONOUS_NAMES[db.pragma('synchronous', { simple: true }) as number] ?? 'OFF',
    }),
    close: async () => {
      if (!db.open) return
      try {
        db.pragma('optimize')
      } catch {
        // Worth doing, not worth failing for: a full or read-only database cannot store its statistics.
      }
      db.close()
    },
  }
}

// PRAGMA synchronous reads back as a number.
const SYNCHRONOUS_NAMES = ['OFF', 'NORMAL', 'FULL', 'EXTRA'] as const
