import { availableParallelism } from 'node:os'
import { resolve } from 'node:path'
import proxyAddr from '@fastify/proxy-addr'
import {
  DEFAULT_SESSION_IDLE_MINUTES,
  DEFAULT_SESSION_TTL_HOURS,
  MAX_SESSION_IDLE_MINUTES,
  MAX_SESSION_TTL_HOURS,
  MIN_SESSION_IDLE_MINUTES,
} from './auth/sessions.ts'
import { SYNCHRONOUS_MODES, type StorageConfig, type SynchronousMode } from './db/storage.ts'
import { SIGNATURE_LIBRARY_CHOICES, type SignatureLibraryChoice } from './verification/signature-check.ts'
import { DEFAULT_EXPORT_LIMITS, type ExportLimits } from './exports/export-slots.ts'
import { DEFAULT_AUDIT_DAYS } from './audit/audit-trail.ts'

const REPO_ROOT = resolve(import.meta.dirname, '../..')

export interface ServerConfig {
  port: number
  host: string
  /** SQLite (BOXOFFICE_DB) unless BOXOFFICE_DATABASE_URL names a PostgreSQL database. */
  database: StorageConfig
  webDist: string
  /** Worker threads that verify token signatures; 0 verifies on the main thread. */
  verifyThreads: number
  /** The library that checks signatures: libsodium, OpenSSL, or `auto` (libsodium when it loads). */
  verifyLibrary: SignatureLibraryChoice
  /** How long a sign-in lasts, at most MAX_SESSION_TTL_HOURS (7 days). */
  sessionTtlHours: number
  /** A session unused this long ends. */
  sessionIdleMinutes: number
  /** Failed sign-ins allowed per client IP and minute. */
  loginFailuresPerMinute: number
  /** Worker threads that draw PDFs. */
  pdfThreads: number
  /** Exports running at once, per account and in all. */
  exportLimits: ExportLimits
  /**
   * Fastify's trustProxy: false, a comma-separated list of proxy addresses/CIDRs (or proxy-addr's
   * names loopback, linklocal, uniquelocal), or the number of proxy hops in front of the server.
   * Never true: trusting every hop lets any client choose its own address.
   */
  trustProxy: TrustProxy
  /** The origin the server answers as (BOXOFFICE_PUBLIC_ORIGIN), normalised; undefined serves any Host. */
  publicOrigin: string | undefined
  /** The first account, created at start when none exists and a password is given. */
  bootstrapAdmin: { username: string; password: string | undefined }
  /** BOXOFFICE_AUDIT_DAYS: how long the audit log keeps an entry. */
  auditDays: number
}

export type TrustProxy = false | string | number

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
    verifyLibrary: readVerifyLibrary(env),
    sessionTtlHours: readPositiveNumber(
      env,
      'BOXOFFICE_SESSION_TTL_HOURS',
      DEFAULT_SESSION_TTL_HOURS,
      MAX_SESSION_TTL_HOURS,
      false,
      '7 days',
    ),
    sessionIdleMinutes: readIdleMinutes(env),
    loginFailuresPerMinute: readPositiveNumber(env, 'BOXOFFICE_LOGIN_FAILURES_PER_MINUTE', 10, 1_000_000, true),
    pdfThreads: readPositiveNumber(env, 'BOXOFFICE_PDF_THREADS', defaultPdfThreads(), MAX_VERIFY_THREADS, true),
    exportLimits: {
      perAccount: readPositiveNumber(env, 'BOXOFFICE_EXPORTS_PER_ACCOUNT', DEFAULT_EXPORT_LIMITS.perAccount, 1000, true),
      total: readPositiveNumber(env, 'BOXOFFICE_EXPORTS_TOTAL', DEFAULT_EXPORT_LIMITS.total, 1000, true),
    },
    trustProxy: readTrustProxy(env),
    publicOrigin: readPublicOrigin(env),
    bootstrapAdmin: {
      username: read(env, 'BOXOFFICE_ADMIN_USER') ?? 'admin',
      // Not trimmed: blanks may be part of a password.
      password: env.BOXOFFICE_ADMIN_PASSWORD || undefined,
    },
    auditDays: readPositiveNumber(env, 'BOXOFFICE_AUDIT_DAYS', DEFAULT_AUDIT_DAYS, 36_500, true),
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
  /** The maximum in words, e.g. "7 days". */
  maxInWords?: string,
): number {
  const text = read(env, name)
  if (text === undefined) return fallback
  const value = Number(text)
  const shape = integer ? /^\d+$/ : /^\d+(\.\d+)?$/
  if (!shape.test(text) || !(value > 0) || value > max) {
    const kind = integer ? 'an integer' : 'a number'
    const words = maxInWords ? ` (${maxInWords})` : ''
    throw new ConfigError(`${name} must be ${kind} greater than 0 and at most ${max}${words}; got ${JSON.stringify(env[name])}`)
  }
  return value
}

function readIdleMinutes(env: Record<string, string | undefined>): number {
  const text = read(env, 'BOXOFFICE_SESSION_IDLE_MINUTES')
  if (text === undefined) return DEFAULT_SESSION_IDLE_MINUTES
  const minutes = Number(text)
  if (!/^\d+$/.test(text) || minutes < MIN_SESSION_IDLE_MINUTES || minutes > MAX_SESSION_IDLE_MINUTES) {
    throw new ConfigError(
      `BOXOFFICE_SESSION_IDLE_MINUTES must be an integer from ${MIN_SESSION_IDLE_MINUTES} to ${MAX_SESSION_IDLE_MINUTES} (7 days); got ${JSON.stringify(env.BOXOFFICE_SESSION_IDLE_MINUTES)}`,
    )
  }
  return minutes
}

const TRUST_PROXY_HELP =
  "write the proxy's addresses or CIDRs, comma-separated (e.g. 127.0.0.1 or 10.0.0.0/8; also loopback, linklocal, uniquelocal), " +
  'or the number of proxies in front of the server (e.g. 1)'
const MAX_PROXY_HOPS = 16

/**
 * Behind a proxy, X-Forwarded-For is believed only as far as trusted hops go: with `true` (every
 * hop) a client rotating that header would escape the per-IP sign-in limit, so it is refused.
 * Entries are checked with the parser Fastify itself uses for trustProxy.
 */
function readTrustProxy(env: Record<string, string | undefined>): TrustProxy {
  const text = read(env, 'BOXOFFICE_TRUST_PROXY')
  if (text === undefined || text.toLowerCase() === 'false') return false
  if (text.toLowerCase() === 'true') {
    throw new ConfigError(
      `BOXOFFICE_TRUST_PROXY=true would trust every hop, so any client could set its own address with X-Forwarded-For; ${TRUST_PROXY_HELP}`,
    )
  }
  if (/^[-+]?\d+(\.\d*)?$/.test(text)) {
    const hops = Number(text)
    if (!Number.isInteger(hops) || hops < 1 || hops > MAX_PROXY_HOPS) {
      throw new ConfigError(
        `BOXOFFICE_TRUST_PROXY as a hop count must be an integer from 1 to ${MAX_PROXY_HOPS}; got ${JSON.stringify(text)}`,
      )
    }
    return hops
  }
  const entries = text.split(',').map((entry) => entry.trim())
  for (const entry of entries) {
    try {
      proxyAddr.compile([entry])
    } catch {
      throw new ConfigError(`BOXOFFICE_TRUST_PROXY entry ${JSON.stringify(entry)} is not an IP address or CIDR; ${TRUST_PROXY_HELP}`)
    }
  }
  return entries.join(',')
}

function readPublicOrigin(env: Record<string, string | undefined>): string | undefined {
  const text = read(env, 'BOXOFFICE_PUBLIC_ORIGIN')
  if (text === undefined) return undefined
  let url: URL | undefined
  try {
    url = new URL(text)
  } catch {
    url = undefined
  }
  const isOrigin =
    url !== undefined &&
    ['http:', 'https:'].includes(url.protocol) &&
    url.host !== '' &&
    url.username === '' &&
    url.password === '' &&
    url.pathname === '/' &&
    url.search === '' &&
    url.hash === '' &&
    !text.includes('?')
  if (!isOrigin) {
    throw new ConfigError(
      `BOXOFFICE_PUBLIC_ORIGIN must be an origin such as https://tickets.example.org (http or https, a host, an optional port; no path, query or user); got ${JSON.stringify(env.BOXOFFICE_PUBLIC_ORIGIN)}`,
    )
  }
  return url!.origin
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
      throw new ConfigError(
        `${sqliteOnly} is for the SQLite database, but BOXOFFICE_DATABASE_URL names a PostgreSQL one; unset one of them`,
      )
    }
  }
  return {
    backend: 'postgres',
    url,
    poolSize: readPositiveNumber(env, 'BOXOFFICE_DATABASE_POOL_SIZE', POSTGRES_DEFAULTS.poolSize, 1_000, true),
    connectionTimeoutMs: readPositiveNumber(
      env,
      'BOXOFFICE_DATABASE_CONNECT_TIMEOUT_MS',
      POSTGRES_DEFAULTS.connectionTimeoutMs,
      600_000,
      true,
    ),
    statementTimeoutMs: readPositiveNumber(
      env,
      'BOXOFFICE_DATABASE_STATEMENT_TIMEOUT_MS',
      POSTGRES_DEFAULTS.statementTimeoutMs,
      3_600_000,
      true,
    ),
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

/** Half the cores, at least one: the other half stays free for check-ins, uploads and signature checks. */
export function defaultPdfThreads(): number {
  return Math.max(1, Math.floor(availableParallelism() / 2))
}

function readVerifyLibrary(env: Record<string, string | undefined>): SignatureLibraryChoice {
  const text = read(env, 'BOXOFFICE_VERIFY_LIBRARY')
  if (text === undefined) return 'auto'
  const choice = text.toLowerCase() as SignatureLibraryChoice
  if (!SIGNATURE_LIBRARY_CHOICES.includes(choice)) {
    throw new ConfigError(
      `BOXOFFICE_VERIFY_LIBRARY must be auto, libsodium or openssl; got ${JSON.stringify(env.BOXOFFICE_VERIFY_LIBRARY)}`,
    )
  }
  return choice
}

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
