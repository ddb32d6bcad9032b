// Staff accounts and their sign-in sessions, in the database so that every server instance sees
// the same ones: a sign-in works on any instance, and a sign-out or a disabled account takes
// effect on all of them with the next request. Plain data only, every method async, like
// TicketRepository.
import type { AccountRole } from '@boxoffice/tickets'

export type { AccountRole }

export interface AccountRecord {
  id: number
  /** Lower case: usernames are case-insensitive. */
  username: string
  /** `scrypt$N$r$p$salt$key` (see auth/password-hash.ts); never the password. */
  passwordHash: string
  role: AccountRole
  /** ISO 8601; a disabled account cannot sign in and has no sessions. */
  disabledAt: string | null
  createdAt: string
  /** The password was set by an admin: signed in, the account may do nothing but change it. */
  mustChangePassword: boolean
}

export type NewAccount = Pick<AccountRecord, 'username' | 'passwordHash' | 'role' | 'createdAt'> & { mustChangePassword?: boolean }

export interface SessionRecord {
  /** Hex SHA-256 of the cookie's token. The token itself is never stored. */
  tokenHash: string
  accountId: number
  /** ISO 8601 UTC strings, as `Date.prototype.toISOString` writes them. */
  createdAt: string
  expiresAt: string
  lastSeen: string
}

export interface AccountRepository {
  countAccounts(): Promise<number>
  /** Inserts the account unless the username is taken; `created` says which (exactly one of concurrent creations of a name). */
  createAccount(account: NewAccount): Promise<{ created: boolean; account: AccountRecord }>
  findAccount(username: string): Promise<AccountRecord | undefined>
  /** Oldest first. */
  listAccounts(): Promise<AccountRecord[]>
  /**
   * Marks the account disabled (keeping an earlier date) and deletes all its sessions, in one
   * transaction: once it resolves, no instance finds a session of the account. Undefined when
   * there is no such account.
   */
  disableAccount(username: string, disabledAt: string): Promise<{ account: AccountRecord; sessionsEnded: number } | undefined>
  enableAccount(username: string): Promise<AccountRecord | undefined>
  /**
   * Replaces the account's password hash and deletes all its sessions, in one transaction that
   * locks the account row (as disableAccount does): once it resolves, no instance finds a session
   * of the account that existed before, and a sign-in that checked the old password and has not
   * stored its session yet never does (see createSession). `mustChange` (default false) marks a
   * temporary password. Undefined when there is no such account.
   */
  setPassword(
    username: string,
    passwordHash: string,
    options?: { mustChange?: boolean },
  ): Promise<{ account: AccountRecord; sessionsEnded: number } | undefined>
  /** Gives the account another role; its sessions carry on with it from their next request. Undefined when there is no such account. */
  setRole(username: string, role: AccountRole): Promise<AccountRecord | undefined>
  /**
   * Deletes every session of the account ("sign out everywhere"), in one statement: once it
   * resolves, no instance finds a session of the account that existed before it was called. The
   * account itself is unchanged, so signing in again works. Undefined when there is no such account.
   */
  endSessions(username: string): Promise<{ account: AccountRecord; sessionsEnded: number } | undefined>

  /**
   * Stores the session only if its account is enabled and still has `checkedPasswordHash`, the
   * hash the sign-in verified the password against. The check and the insert are one
   * transaction holding a lock that setPassword and disableAccount also take (SQLite: the write
   * lock; PostgreSQL: FOR SHARE on the account row, which their UPDATE waits for and which waits
   * for their UPDATE, and is then re-checked on the updated row). So a sign-in racing a password
   * change either stores its session before the change, which then deletes it, or stores none.
   * Returns whether it was stored.
   */
  createSession(session: SessionRecord, checkedPasswordHash: string): Promise<boolean>
  /** The session with its account, whatever their expiry or state: the caller judges. Reads the committed row, never a cache. */
  findSession(tokenHash: string): Promise<{ session: SessionRecord; account: AccountRecord } | undefined>
  touchSession(tokenHash: string, lastSeen: string): Promise<void>
  deleteSession(tokenHash: string): Promise<void>
  /**
   * Deletes sessions that expired at or before `now`, or were last seen at or before
   * `idleBefore` (ISO strings); returns how many.
   */
  deleteExpiredSessions(now: string, idleBefore: string): Promise<number>
}
