import Database from 'better-sqlite3'
import { SYNCHRONOUS_MODES, type SynchronousMode } from '../storage.ts'
import { migrate } from './migrations.ts'

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
