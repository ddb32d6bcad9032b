import Database from 'better-sqlite3'
import { migrate } from './migrations.ts'

/**
 * NORMAL (with WAL) may lose the last transactions on power loss but never corrupts the database;
 * FULL also survives power loss, at the cost of an fsync per commit.
 */
export type SynchronousMode = 'NORMAL' | 'FULL'
export const SYNCHRONOUS_MODES: readonly SynchronousMode[] = ['NORMAL', 'FULL']

export interface OpenSqliteOptions {
  synchronous?: SynchronousMode
}

export function openSqlite(path: string, options: OpenSqliteOptions = {}): Database.Database {
  const synchronous = options.synchronous ?? 'NORMAL'
  if (!SYNCHRONOUS_MODES.includes(synchronous)) throw new TypeError(`synchronous must be NORMAL or FULL; got ${synchronous}`)
  const db = new Database(path)
  try {
    db.pragma('journal_mode = WAL')
    db.pragma(`synchronous = ${synchronous}`)
    db.pragma('busy_timeout = 5000')
    db.pragma('foreign_keys = ON')
    migrate(db)
    return db
  } catch (error) {
    db.close()
    throw error
  }
}
