// Sign-in sessions. The cookie holds an opaque random token; the database holds only its SHA-256,
// so a copy of the database does not let anyone act as a signed-in account.
import { createHash, randomBytes } from 'node:crypto'
import type { AccountRecord, AccountRepository, AccountRole } from '../db/account-repository.ts'
import { RoleForbidden } from '../errors.ts'

/** The session cookie over plain HTTP; over HTTPS it is SECURE_SESSION_COOKIE (see session-cookie.ts). */
export const SESSION_COOKIE = 'boxoffice_session'
export const SECURE_SESSION_COOKIE = '__Host-boxoffice_session'
export const DEFAULT_SESSION_TTL_HOURS = 12
/** However it is configured, a sign-in lasts at most 7 days: a stolen cookie is not good for longer. */
export const MAX_SESSION_TTL_HOURS = 7 * 24
/**
 * A session unused this long ends. Any request counts as use, chunk uploads included, so a box
 * office generating tickets for hours without a click stays signed in.
 */
export const DEFAULT_SESSION_IDLE_MINUTES = 60
/** last_seen is written at most this often per session, not on every chunk upload. */
const TOUCH_INTERVAL_MS = 60_000
/** The idle limit is judged from last_seen, which lags use by up to TOUCH_INTERVAL_MS: it must be well above that. */
export const MIN_SESSION_IDLE_MINUTES = 5
export const MAX_SESSION_IDLE_MINUTES = MAX_SESSION_TTL_HOURS * 60
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/

/** Who is making a request, as the routes see it. */
export interface SignedInAccount {
  /** Null for a gate device, which is no account. */
  id: number | null
  /** A gate device is `device:<its name>`. */
  username: string
  role: AccountRole
  /** Signed in with a temporary password: it may only change it. */
  mustChangePassword: boolean
  /** Set when a registered gate device sent the request (with its key, not a session). */
  device?: { id: string; name: string; revokedAt: string | null }
}

/** The account's id, for what only an account (not a gate device) may own; ROLE_FORBIDDEN for a device. */
export function accountIdOf(account: SignedInAccount): number {
  if (account.id === null) throw new RoleForbidden(`${account.username} is a gate device: it may only check tickets in`)
  return account.id
}

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

export interface SessionServiceOptions {
  ttlMs: number
  /** Default DEFAULT_SESSION_IDLE_MINUTES. */
  idleMs?: number
  now?: () => Date
}

export class SessionService {
  readonly #accounts: AccountRepository
  readonly #ttlMs: number
  readonly #idleMs: number
  readonly #now: () => Date

  constructor(accounts: AccountRepository, options: SessionServiceOptions) {
    const idleMs = options.idleMs ?? DEFAULT_SESSION_IDLE_MINUTES * 60_000
    if (!(options.ttlMs > 0 && options.ttlMs <= MAX_SESSION_TTL_HOURS * 3_600_000)) {
      throw new RangeError(`a session lasts more than 0 and at most ${MAX_SESSION_TTL_HOURS} hours; got ${options.ttlMs} ms`)
    }
    if (!(idleMs >= MIN_SESSION_IDLE_MINUTES * 60_000 && idleMs <= MAX_SESSION_IDLE_MINUTES * 60_000)) {
      throw new RangeError(`the idle limit is ${MIN_SESSION_IDLE_MINUTES} to ${MAX_SESSION_IDLE_MINUTES} minutes; got ${idleMs} ms`)
    }
    this.#accounts = accounts
    this.#ttlMs = options.ttlMs
    this.#idleMs = idleMs
    this.#now = options.now ?? (() => new Date())
  }

  /**
   * Starts a session that expires `ttl` after now (not extended by use), unless the account's
   * password changed or it was disabled since `account` was read (then undefined). Returns the
   * cookie's token.
   */
  async start(account: AccountRecord): Promise<{ token: string; expiresAt: Date } | undefined> {
    const now = this.#now()
    const expiresAt = new Date(now.getTime() + this.#ttlMs)
    const token = randomBytes(32).toString('base64url')
    // Housekeeping at a moment that is rare and already slow (a password was just hashed).
    await this.#accounts.deleteExpiredSessions(now.toISOString(), new Date(now.getTime() - this.#idleMs).toISOString())
    const stored = await this.#accounts.createSession(
      {
        tokenHash: hashSessionToken(token),
        accountId: account.id,
        createdAt: now.toISOString(),
        expiresAt: expiresAt.toISOString(),
        lastSeen: now.toISOString(),
      },
      account.passwordHash,
    )
    return stored ? { token, expiresAt } : undefined
  }

  /**
   * The account behind a cookie token, or undefined when the token is unknown, expired, idle for
   * longer than the idle limit, or its account disabled.
   */
  async resolve(token: string): Promise<SignedInAccount | undefined> {
    if (!TOKEN_PATTERN.test(token)) return undefined
    const tokenHash = hashSessionToken(token)
    const found = await this.#accounts.findSession(tokenHash)
    if (!found) return undefined
    const { session, account } = found
    const now = this.#now().getTime()
    // Compared as dates, not as text: an unreadable expiry or last use counts as expired.
    const expiresAt = Date.parse(session.expiresAt)
    const lastSeen = Date.parse(session.lastSeen)
    if (!(expiresAt > now) || !(now - lastSeen < this.#idleMs) || account.disabledAt !== null) {
      await this.#accounts.deleteSession(tokenHash)
      return undefined
    }
    if (!(now - lastSeen < TOUCH_INTERVAL_MS)) await this.#accounts.touchSession(tokenHash, new Date(now).toISOString())
    return { id: account.id, username: account.username, role: account.role, mustChangePassword: account.mustChangePassword }
  }

  async end(token: string): Promise<void> {
    if (TOKEN_PATTERN.test(token)) await this.#accounts.deleteSession(hashSessionToken(token))
  }

  /** Ends every session of the account, on every instance; returns how many. */
  async endAll(account: SignedInAccount): Promise<number> {
    return (await this.#accounts.endSessions(account.username))?.sessionsEnded ?? 0
  }
}
