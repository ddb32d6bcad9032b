import type Database from 'better-sqlite3'
import type { AccountRecord, AccountRepository, NewAccount, SessionRecord } from '../account-repository.ts'
import { sqliteOperation } from './sqlite-errors.ts'

const ACCOUNT_COLUMNS = `
  id, username, password_hash AS passwordHash, role, disabled_at AS disabledAt, created_at AS createdAt,
  must_change_password AS mustChangePassword`

/** A row as SQLite gives it: 0 or 1 where the record has a boolean. */
type AccountRow = Omit<AccountRecord, 'mustChangePassword'> & { mustChangePassword: number }

const accountOf = (row: AccountRow): AccountRecord => ({ ...row, mustChangePassword: row.mustChangePassword === 1 })

interface SessionRow extends SessionRecord {
  username: string
  passwordHash: string
  role: AccountRecord['role']
  disabledAt: string | null
  accountCreatedAt: string
  mustChangePassword: number
}

/**
 * Shares its connection with the ticket repository; whoever opened the database closes it.
 * Storage faults reject with StorageUnavailableError, as in the ticket repository.
 */
export class SqliteAccountRepository implements AccountRepository {
  readonly #db: Database.Database
  readonly #statements

  constructor(db: Database.Database) {
    this.#db = db
    this.#statements = {
      countAccounts: db.prepare<[], number>('SELECT count(*) FROM accounts').pluck(),
      insertAccount: db.prepare(`
        INSERT INTO accounts (username, password_hash, role, created_at, must_change_password)
        VALUES (@username, @passwordHash, @role, @createdAt, @mustChange)
        ON CONFLICT (username) DO NOTHING`),
      selectAccount: db.prepare<[string], AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE username = ?`),
      listAccounts: db.prepare<[], AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM accounts ORDER BY id`),
      disableAccount: db.prepare('UPDATE accounts SET disabled_at = coalesce(disabled_at, ?) WHERE id = ?'),
      enableAccount: db.prepare('UPDATE accounts SET disabled_at = NULL WHERE id = ?'),
      setPassword: db.prepare('UPDATE accounts SET password_hash = ?, must_change_password = ? WHERE id = ?'),
      setRole: db.prepare('UPDATE accounts SET role = ? WHERE id = ?'),
      deleteSessionsOf: db.prepare('DELETE FROM sessions WHERE account_id = ?'),
      // Inserts nothing unless the account is enabled and has the hash the sign-in checked.
      insertSession: db.prepare(`
        INSERT INTO sessions (token_hash, account_id, created_at, expires_at, last_seen)
        SELECT @tokenHash, id, @createdAt, @expiresAt, @lastSeen FROM accounts
        WHERE id = @accountId AND password_hash = @checkedPasswordHash AND disabled_at IS NULL`),
      selectSession: db.prepare<[string], SessionRow>(`
        SELECT sessions.token_hash AS tokenHash, sessions.account_id AS accountId, sessions.created_at AS createdAt,
               sessions.expires_at AS expiresAt, sessions.last_seen AS lastSeen, accounts.username, accounts.password_hash AS passwordHash, accounts.role,
               accounts.disabled_at AS disabledAt, accounts.created_at AS accountCreatedAt,
               accounts.must_change_password AS mustChangePassword
        FROM sessions JOIN accounts ON accounts.id = sessions.account_id
        WHERE sessions.token_hash = ?`),
      touchSession: db.prepare('UPDATE sessions SET last_seen = ? WHERE token_hash = ?'),
      deleteSession: db.prepare('DELETE FROM sessions WHERE token_hash = ?'),
      deleteExpiredSessions: db.prepare('DELETE FROM sessions WHERE expires_at <= ? OR last_seen <= ?'),
    }
  }

  async countAccounts(): Promise<number> {
    return sqliteOperation('countAccounts', () => this.#statements.countAccounts.get()!)
  }

  async createAccount(account: NewAccount): Promise<{ created: boolean; account: AccountRecord }> {
    const create = this.#db.transaction(() => {
      const { changes } = this.#statements.insertAccount.run({ ...account, mustChange: account.mustChangePassword ? 1 : 0 })
      return { created: changes === 1, account: this.#account(account.username)! }
    })
    return sqliteOperation('createAccount', () => create.immediate())
  }

  async findAccount(username: string): Promise<AccountRecord | undefined> {
    return sqliteOperation('findAccount', () => this.#account(username))
  }

  async listAccounts(): Promise<AccountRecord[]> {
    return sqliteOperation('listAccounts', () => this.#statements.listAccounts.all().map(accountOf))
  }

  async disableAccount(username: string, disabledAt: string) {
    const s = this.#statements
    const disable = this.#db.transaction(() => {
      const account = this.#account(username)
      if (!account) return undefined
      s.disableAccount.run(disabledAt, account.id)
      const { changes } = s.deleteSessionsOf.run(account.id)
      return { account: this.#account(username)!, sessionsEnded: changes }
    })
    return sqliteOperation('disableAccount', () => disable.immediate())
  }

  async setPassword(username: string, passwordHash: string, options: { mustChange?: boolean } = {}) {
    const s = this.#statements
    const change = this.#db.transaction(() => {
      const account = this.#account(username)
      if (!account) return undefined
      s.setPassword.run(passwordHash, options.mustChange ? 1 : 0, account.id)
      const { changes } = s.deleteSessionsOf.run(account.id)
      return { account: this.#account(username)!, sessionsEnded: changes }
    })
    return sqliteOperation('setPassword', () => change.immediate())
  }

  async endSessions(username: string) {
    return sqliteOperation('endSessions', () => {
      const account = this.#account(username)
      if (!account) return undefined
      return { account, sessionsEnded: this.#statements.deleteSessionsOf.run(account.id).changes }
    })
  }

  async setRole(username: string, role: AccountRecord['role']): Promise<AccountRecord | undefined> {
    return sqliteOperation('setRole', () => {
      const account = this.#account(username)
      if (!account) return undefined
      this.#statements.setRole.run(role, account.id)
      return this.#account(username)
    })
  }

  async enableAccount(username: string): Promise<AccountRecord | undefined> {
    return sqliteOperation('enableAccount', () => {
      const account = this.#account(username)
      if (!account) return undefined
      this.#statements.enableAccount.run(account.id)
      return this.#account(username)
    })
  }

  /** One statement, run under the database's write lock: setPassword and disableAccount come wholly before or after it. */
  async createSession(session: SessionRecord, checkedPasswordHash: string): Promise<boolean> {
    return sqliteOperation('createSession', () => this.#statements.insertSession.run({ ...session, checkedPasswordHash }).changes === 1)
  }

  async findSession(tokenHash: string) {
    const row = await sqliteOperation('findSession', () => this.#statements.selectSession.get(tokenHash))
    if (!row) return undefined
    const { tokenHash: hash, accountId, createdAt, expiresAt, lastSeen } = row
    return {
      session: { tokenHash: hash, accountId, createdAt, expiresAt, lastSeen },
      account: {
        id: accountId,
        username: row.username,
        passwordHash: row.passwordHash,
        role: row.role,
        disabledAt: row.disabledAt,
        createdAt: row.accountCreatedAt,
        mustChangePassword: row.mustChangePassword === 1,
      },
    }
  }

  async touchSession(tokenHash: string, lastSeen: string): Promise<void> {
    return sqliteOperation('touchSession', () => {
      this.#statements.touchSession.run(lastSeen, tokenHash)
    })
  }

  async deleteSession(tokenHash: string): Promise<void> {
    return sqliteOperation('deleteSession', () => {
      this.#statements.deleteSession.run(tokenHash)
    })
  }

  async deleteExpiredSessions(now: string, idleBefore: string): Promise<number> {
    return sqliteOperation('deleteExpiredSessions', () => this.#statements.deleteExpiredSessions.run(now, idleBefore).changes)
  }

  #account(username: string): AccountRecord | undefined {
    const row = this.#statements.selectAccount.get(username)
    return row && accountOf(row)
  }
}
