// Sign-in sessions. The cookie holds an opaque random token; the database holds only its SHA-256,
// so a copy of the database does not let anyone act as a signed-in account.
import { createHash, randomBytes } from 'node:crypto'
import type { AccountRecord, AccountRepository, AccountRole } from '../db/account-repository.ts'

/** The session cookie over plain HTTP; over HTTPS it is SECURE_SESSION_COOKIE (see session-cookie.ts). */
export const SESSION_COOKIE = 'boxoffice_session'
export const SECURE_SESSION_COOKIE = '__Host-boxoffice_session'
export const DEFAULT_SESSION_TTL_HOURS = 12
/** last_seen is written at most this often per session, not on every chunk upload. */
const TOUCH_INTERVAL_MS = 60_000
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/

/** Who is making a request, as the routes see it. */
export interface SignedInAccount {
  id: number
  username: string
  role: AccountRole
}

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

export interface SessionServiceOptions {
  ttlMs: number
  now?: () => Date
}

export class SessionService {
  readonly #accounts: AccountRepository
  readonly #ttlMs: number
  readonly #now: () => Date

  constructor(accounts: AccountRepository, options: SessionServiceOptions) {
    this.#accounts = accounts
    this.#ttlMs = options.ttlMs
    this.#now = options.now ?? (() => new Date())
  }

  /** Starts a session that expires `ttl` after now (not extended by use). Returns the cookie's token. */
  async start(account: AccountRecord): Promise<{ token: string; expiresAt: Date }> {
    const now = this.#now()
    const expiresAt = new Date(now.getTime() + this.#ttlMs)
    const token = randomBytes(32).toString('base64url')
    // Housekeeping at a moment that is rare and already slow (a password was just hashed).
    await this.#accounts.deleteExpiredSessions(now.toISOString())
    await this.#accounts.createSession({
      tokenHash: hashSessionToken(token),
      accountId: account.id,
      createdAt: now.toISOString(),
      expiresAt: expiresAt.toISOString(),
      lastSeen: now.toISOString(),
    })
    return { token, expiresAt }
  }

  /** The account behind a cookie token, or undefined when the token is unknown, expired, or its account disabled. */
  async resolve(token: string): Promise<SignedInAccount | undefined> {
    if (!TOKEN_PATTERN.test(token)) return undefined
    const tokenHash = hashSessionToken(token)
    const found = await this.#accounts.findSession(tokenHash)
    if (!found) return undefined
    const { session, account } = found
    const now = this.#now().getTime()
    // Compared as a date, not as text: an unreadable expiry counts as expired.
    const expiresAt = Date.parse(session.expiresAt)
    if (!(expiresAt > now) || account.disabledAt !== null) {
      await this.#accounts.deleteSession(tokenHash)
      return undefined
    }
    const lastSeen = Date.parse(session.lastSeen)
    if (!(now - lastSeen < TOUCH_INTERVAL_MS)) await this.#accounts.touchSession(tokenHash, new Date(now).toISOString())
    return { id: account.id, username: account.username, role: account.role }
  }

  async end(token: string): Promise<void> {
    if (TOKEN_PATTERN.test(token)) await this.#accounts.deleteSession(hashSessionToken(token))
  }
}
