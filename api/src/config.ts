import { availableParallelism } from 'node:os'
import { resolve } from 'node:path'
import { DEFAULT_SESSION_TTL_HOURS } from './auth/sessions.ts'
import { SYNCHRONOUS_MODES, type StorageConfig, type SynchronousMode } from './db/storage.ts'

const REPO_ROOT = resolve(import.meta.dirname, '../..')

export interface ServerConfig {
  port: number
  host: string
  /** SQLite (BOXOFFICE_DB) unless BOXOFFICE_DATABASE_URL names a PostgreSQL database. */
  database: StorageConfig
  webDist: string
  /** Worker threads that verify token signatures; 0 verifies on the main thread. */
  verifyThreads: number
  sessionTtlHours: number
  /** Failed sign-ins allowed per client IP and minute. */
  loginFailuresPerMinute: number
  /** Fastify's trustProxy: false, true (any proxy), or a comma-separated list of proxy addresses/CIDRs. */
  trustProxy: boolean | string
  /** The first account, created at start when none exists and a password is given. */
  bootstrapAdmin: { username: string; password: string | undefined }
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

/**
 * Reads the server's environment. Defaults do not depend on the working directory; paths given
 * in the environment are resolved against it, as a shell user expects.
 */
export function readConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
  return {
    port: readPort(env),
    host: read(env, 'HOST') ?? '127.0.0.1',
    database: readDatabase(env),
    webDist: resolve(read(env, 'BOXOFFICE_WEB_DIST') ?? resolve(REPO_ROOT, 'web/dist')),
    verifyThreads: readVerifyThreads(env),
    sessionTtlHours: readPositiveNumber(env, 'BOXOFFICE_SESSION_TTL_HOURS', DEFAULT_SESSION_TTL_HOURS, 24 * 365),
    loginFailuresPerMinute: readPositiveNumber(env, 'BOXOFFICE_LOGIN_FAILURES_PER_MINUTE', 10, 1_000_000, true),
    trustProxy: readTrustProxy(env),
    bootstrapAdmin: {
      username: read(env, 'BOXOFFICE_ADMIN_USER') ?? 'admin',
      // Not trimmed: blanks may be part of a password.
      password: env.BOXOFFICE_ADMIN_PASSWORD || undefined,
    },
  }
}

/** An unset or empty variable counts as absent. */
function read(env: Record<string, string | undefined>, name: string): string | undefined {
  const value = env[name]?.trim()
  return value ? value : undefined
}

function readPort(env: Record<string, string | undefined>): number {
  const text = read(env, 'PORT')
  if (text === undefined) return 3000
  const port = Number(text)
  if (!/^\d+$/.test(text) || port > 65535) {
    throw new ConfigError(`PORT must be an integer from 0 to 65535; got ${JSON.stringify(env.PORT)}`)
  }
  return port
}

function readPositiveNumber(
  env: Record<string, string | undefined>,
  name: string,
  fallback: number,
  max: number,
  integer = false,
): number {
  const text = read(env, name)
  if (text === undefined) return fallback
  const value = Number(text)
  const shape = integer ? /^\d+$/ : /^\d+(\.\d+)?$/
  if (!shape.test(text) || !(value > 0) || value > max) {
    const kind = integer ? 'an integer' : 'a number'
    throw new ConfigError(`${name} must be ${kind} greater than 0 and at most ${max}; got ${JSON.stringify(env[name])}`)
  }
  return value
}

function readTrustProxy(env: Record<string, string | undefined>): boolean | string {
  const text = read(env, 'BOXOFFICE_TRUST_PROXY')
  if (text === undefined || text.toLowerCase() === 'false') return false
  if (text.toLowerCase() === 'true') return true
  return text
}

export const POSTGRES_DEFAULTS = { poolSize: 10, connectionTimeoutMs: 5_000, statementTimeoutMs: 10_000 } as const

function readDatabase(env: Record<string, string | undefined>): StorageConfig {
  const url = read(env, 'BOXOFFICE_DATABASE_URL')
  if (url === undefined) {
    return {
      backend: 'sqlite',
      path: resolve(read(env, 'BOXOFFICE_DB') ?? resolve(REPO_ROOT, 'data/boxoffice.db')),
      synchronous: readSynchronous(env),
    }
  }
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new ConfigError('BOXOFFICE_DATABASE_URL must be a PostgreSQL connection string, postgres://user:password@host:port/database')
  }
  for (const sqliteOnly of ['BOXOFFICE_DB', 'BOXOFFICE_SYNCHRONOUS']) {
    if (read(env, sqliteOnly) !== undefined) {
      throw new ConfigError(`${sqliteOnly} is for the SQLite database, but BOXOFFICE_DATABASE_URL names a PostgreSQL one; unset one of them`)
    }
  }
  return {
    backend: 'postgres',
    url,
    poolSize: readPositiveNumber(env, 'BOXOFFICE_DATABASE_POOL_SIZE', POSTGRES_DEFAULTS.poolSize, 1_000, true),
    connectionTimeoutMs: readPositiveNumber(env, 'BOXOFFICE_DATABASE_CONNECT_TIMEOUT_MS', POSTGRES_DEFAULTS.connectionTimeoutMs, 600_000, true),
    statementTimeoutMs: readPositiveNumber(env, 'BOXOFFICE_DATABASE_STATEMENT_TIMEOUT_MS', POSTGRES_DEFAULTS.statementTimeoutMs, 3_600_000, true),
  }
}

function readSynchronous(env: Record<string, string | undefined>): SynchronousMode {
  const text = read(env, 'BOXOFFICE_SYNCHRONOUS')
  if (text === undefined) return 'NORMAL'
  const mode = text.toUpperCase() as SynchronousMode
  if (!SYNCHRONOUS_MODES.includes(mode)) {
    throw new ConfigError(`BOXOFFICE_SYNCHRONOUS must be NORMAL or FULL; got ${JSON.stringify(env.BOXOFFICE_SYNCHRONOUS)}`)
  }
  return mode
}

/** Up to this many threads: more than the cores only adds switching, but the limit stays generous. */
const MAX_VERIFY_THREADS = 64

function readVerifyThreads(env: Record<string, string | undefined>): number {
  const text = read(env, 'BOXOFFICE_VERIFY_THREADS')
  if (text === undefined) return availableParallelism()
  const threads = Number(text)
  if (!/^\d+$/.test(text) || threads > MAX_VERIFY_THREADS) {
    throw new ConfigError(
      `BOXOFFICE_VERIFY_THREADS must be an integer from 0 (verify on the main thread) to ${MAX_VERIFY_THREADS}; got ${JSON.stringify(env.BOXOFFICE_VERIFY_THREADS)}`,
    )
  }
  return threads
}
