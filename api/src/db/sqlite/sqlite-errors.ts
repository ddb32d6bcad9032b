// Which better-sqlite3 errors mean "the storage cannot serve now" rather than a bug, and their
// translation into the repository contract's StorageUnavailableError.
import Database from 'better-sqlite3'
import { StorageUnavailableError, type StorageFault } from '../storage-unavailable.ts'

/** Primary SQLite result codes; extended codes (`SQLITE_IOERR_WRITE`, `SQLITE_READONLY_DBMOVED`, …) share their fault. */
const FAULTS: Readonly<Record<string, StorageFault>> = {
  SQLITE_FULL: 'full',
  SQLITE_READONLY: 'read-only',
  SQLITE_IOERR: 'io',
  SQLITE_BUSY: 'busy',
  // A lock held by another statement of a shared-cache connection: the same remedy as busy.
  SQLITE_LOCKED: 'busy',
  SQLITE_CANTOPEN: 'cannot-open',
  SQLITE_CORRUPT: 'corrupt',
  SQLITE_NOTADB: 'corrupt',
}

/** The storage fault a driver error code stands for, if any. */
export function storageFaultOf(code: string): StorageFault | undefined {
  const primary = /^SQLITE_[A-Z]+/.exec(code)?.[0]
  return primary === undefined ? undefined : FAULTS[primary]
}

/** A StorageUnavailableError for a storage fault; any other error (a bug, a constraint) unchanged. */
export function translateSqliteError(error: unknown, operation: string): unknown {
  if (!(error instanceof Database.SqliteError)) return error
  const fault = storageFaultOf(error.code)
  return fault === undefined ? error : new StorageUnavailableError(fault, { operation, driverCode: error.code, cause: error })
}

/**
 * Runs one repository operation (synchronous, as better-sqlite3 is) and rejects with the
 * translated error. A transaction that failed has been rolled back by then.
 */
export async function sqliteOperation<T>(operation: string, work: () => T): Promise<T> {
  try {
    return work()
  } catch (error) {
    throw translateSqliteError(error, operation)
  }
}
