// Which node-postgres errors mean "the storage cannot serve now" rather than a bug, and their
// translation into the repository contract's StorageUnavailableError (answered 503 with
// Retry-After, which the browser retries). A transaction that failed this way was rolled back by
// the server, so nothing half-written stays behind.
import { StorageUnavailableError, type StorageFault } from '../storage-unavailable.ts'

/** SQLSTATE codes (https://www.postgresql.org/docs/current/errcodes-appendix.html) and classes. */
const FAULTS_BY_CODE: Readonly<Record<string, StorageFault>> = {
  '40001': 'conflict', // serialization_failure
  '40P01': 'conflict', // deadlock_detected
  '57014': 'timeout', // query_canceled: statement_timeout
  '55P03': 'timeout', // lock_not_available: lock_timeout
  '57P01': 'unreachable', // admin_shutdown: the server is stopping or restarting
  '57P02': 'unreachable', // crash_shutdown
  '57P03': 'unreachable', // cannot_connect_now: the server is starting up
  '53100': 'full', // disk_full
  '53200': 'busy', // out_of_memory
  '53300': 'busy', // too_many_connections
  '25006': 'read-only', // read_only_sql_transaction: a standby, or default_transaction_read_only
  '58030': 'io', // io_error
  XX001: 'corrupt', // data_corrupted
  XX002: 'corrupt', // index_corrupted
  '3D000': 'cannot-open', // invalid_catalog_name: the database does not exist
  '28000': 'cannot-open', // invalid_authorization_specification
  '28P01': 'cannot-open', // invalid_password
}

/** Class 08: connection exceptions. */
const CONNECTION_CLASS = '08'

/** Socket errors node reports when the server is gone or cannot be reached. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN'])

/** node-postgres raises these as plain Errors with no code. */
const DRIVER_MESSAGES: readonly [RegExp, StorageFault][] = [
  [/timeout exceeded when trying to connect/i, 'timeout'],
  [/^Query read timeout/i, 'timeout'],
  [/Connection terminated/i, 'unreachable'],
  [/not queryable/i, 'unreachable'],
  [/^Client was closed and is not queryable/i, 'unreachable'],
]

export function postgresFaultOf(error: unknown): { fault: StorageFault; driverCode: string } | undefined {
  if (!(error instanceof Error)) return undefined
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string') {
    const fault = FAULTS_BY_CODE[code] ?? (code.startsWith(CONNECTION_CLASS) && code.length === 5 ? 'unreachable' : undefined)
    if (fault) return { fault, driverCode: code }
    if (NETWORK_CODES.has(code)) return { fault: 'unreachable', driverCode: code }
  }
  for (const [pattern, fault] of DRIVER_MESSAGES) if (pattern.test(error.message)) return { fault, driverCode: 'PG_CLIENT' }
  return undefined
}

/** A StorageUnavailableError for a storage fault; any other error (a bug, a constraint) unchanged. */
export function translatePostgresError(error: unknown, operation: string): unknown {
  const found = postgresFaultOf(error)
  return found ? new StorageUnavailableError(found.fault, { operation, driverCode: found.driverCode, cause: error }) : error
}

/** Runs one repository operation and rejects with the translated error. */
export async function postgresOperation<T>(operation: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    throw translatePostgresError(error, operation)
  }
}
