// Part of the repository contract: any repository method may reject with this error when the
// database cannot serve the request right now. It says nothing about the driver, so the routes
// and errors.ts stay free of SQL; each implementation translates its own driver's errors into it
// (sqlite/sqlite-errors.ts, postgres/postgres-errors.ts).

/** What is wrong with the storage, in words an operator acts on. */
export type StorageFault =
  /** The disk (or the database's size limit) is full. */
  | 'full'
  /** The database file or its folder cannot be written. */
  | 'read-only'
  /** The operating system reported an I/O error. */
  | 'io'
  /** Another connection holds the write lock for longer than the busy timeout. */
  | 'busy'
  /** The database file cannot be opened. */
  | 'cannot-open'
  /** The database file is damaged or is not a database. */
  | 'corrupt'
  /** The database server cannot be reached, or the connection was lost (a restart, a failover). */
  | 'unreachable'
  /** No connection became free in time, or a statement ran past its timeout. */
  | 'timeout'
  /** Concurrent transactions collided (a serialization failure or a deadlock); a retry succeeds. */
  | 'conflict'

/**
 * Nothing of the failed operation was stored: a write that fails this way is rolled back whole,
 * so the same request can be retried once the fault is fixed.
 */
export class StorageUnavailableError extends Error {
  override readonly name = 'StorageUnavailableError'
  readonly fault: StorageFault
  /** The repository method that failed, for the log. */
  readonly operation: string
  /** The driver's own error code (e.g. `SQLITE_IOERR_WRITE`), for the log. */
  readonly driverCode: string

  constructor(fault: StorageFault, details: { operation: string; driverCode: string; cause: unknown }) {
    const reason = details.cause instanceof Error ? details.cause.message : String(details.cause)
    super(`storage unavailable (${fault}) in ${details.operation}: ${details.driverCode} ${reason}`, { cause: details.cause })
    this.fault = fault
    this.operation = details.operation
    this.driverCode = details.driverCode
  }
}
