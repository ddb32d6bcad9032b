import type pg from 'pg'
import type { AccountRecord, AccountRepository, NewAccount, SessionRecord } from '../account-repository.ts'
import { inTransaction, pooledQuery } from './pooled.ts'

const ACCOUNT_COLUMNS = `
  id, username, password_hash AS "passwordHash", role, disabled_at AS "disabledAt", created_at AS "createdAt",
  must_change_password AS "mustChangePassword"`

interface SessionRow extends SessionRecord {
  username: string
  passwordHash: string
  role: AccountRecord['role']
  disabledAt: string | null
  accountCreatedAt: string
  mustChangePassword: boolean
}

/** Sessions are rows like any other: every instance reads the committed ones, so a sign-out is seen everywhere at once. */
export class PostgresAccountRepository implements AccountRepository {
  readonly #pool: pg.Pool

  constructor(pool: pg.Pool) {
    this.#pool = pool
  }

  async countAccounts(): Promise<number> {
    const { rows } = await pooledQuery<{ count: number }>(this.#pool, 'countAccounts', 'SELECT count(*) AS count FROM accounts')
    return rows[0]!.count
  }

  /** The unique username: of concurrent creations of one name, the first inserts and the others wait for it, then insert nothing. */
  async createAccount(account: NewAccount): Promise<{ created: boolean; account: AccountRecord }> {
    const inserted = await pooledQuery(
      this.#pool,
      'createAccount',
      `INSERT INTO accounts (username, password_hash, role, created_at, must_change_password) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (username) DO NOTHING`,
      [account.username, account.passwordHash, account.role, account.createdAt, account.mustChangePassword ?? false],
    )
    return { created: inserted.rowCount === 1, account: (await this.findAccount(account.username))! }
  }

  async findAccount(username: string): Promise<AccountRecord | undefined> {
    return (
      await pooledQuery<AccountRecord>(this.#pool, 'findAccount', `SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE username = $1`, [username])
    ).rows[0]
  }

  async listAccounts(): Promise<AccountRecord[]> {
    return (await pooledQuery<AccountRecord>(this.#pool, 'listAccounts', `SELECT ${ACCOUNT_COLUMNS} FROM accounts ORDER BY id`)).rows
  }

  /** One transaction: the account row is locked by its UPDATE while its sessions are deleted. */
  async disableAccount(username: string, disabledAt: string) {
    return inTransaction(this.#pool, 'disableAccount', async (client) => {
      const updated = await client.query<AccountRecord>(
        `UPDATE accounts SET disabled_at = coalesce(disabled_at, $2) WHERE username = $1 RETURNING ${ACCOUNT_COLUMNS}`,
        [username, disabledAt],
      )
      const account = updated.rows[0]
      if (!account) return undefined
      const ended = await client.query('DELETE FROM sessions WHERE account_id = $1', [account.id])
      return { account, sessionsEnded: ended.rowCount ?? 0 }
    })
  }

  /** One transaction, the account row locked by its UPDATE while its sessions are deleted, as in disableAccount. */
  async setPassword(username: string, passwordHash: string, options: { mustChange?: boolean } = {}) {
    return inTransaction(this.#pool, 'setPassword', async (client) => {
      const updated = await client.query<AccountRecord>(
        `UPDATE accounts SET password_hash = $2, must_change_password = $3 WHERE username = $1 RETURNING ${ACCOUNT_COLUMNS}`,
        [username, passwordHash, options.mustChange ?? false],
      )
      const account = updated.rows[0]
      if (!account) return undefined
      const ended = await client.query('DELETE FROM sessions WHERE account_id = $1', [account.id])
      return { account, sessionsEnded: ended.rowCount ?? 0 }
    })
  }

  async endSessions(username: string) {
    const account = await this.findAccount(username)
    if (!account) return undefined
    const ended = await pooledQuery(this.#pool, 'endSessions', 'DELETE FROM sessions WHERE account_id = $1', [account.id])
    return { account, sessionsEnded: ended.rowCount ?? 0 }
  }

  async setRole(username: string, role: AccountRecord['role']): Promise<AccountRecord | undefined> {
    const { rows } = await pooledQuery<AccountRecord>(
      this.#pool,
      'setRole',
      `UPDATE accounts SET role = $2 WHERE username = $1 RETURNING ${ACCOUNT_COLUMNS}`,
      [username, role],
    )
    return rows[0]
  }

  async enableAccount(username: string): Promise<AccountRecord | undefined> {
    const { rows } = await pooledQuery<AccountRecord>(
      this.#pool,
      'enableAccount',
      `UPDATE accounts SET disabled_at = NULL WHERE username = $1 RETURNING ${ACCOUNT_COLUMNS}`,
      [username],
    )
    return rows[0]
  }

  /**
   * FOR SHARE on the account row conflicts with the row lock of setPassword's and disableAccount's
   * UPDATE: taken first, their UPDATE waits for this insert to commit (and their DELETE then sees
   * the session); taken second, it waits for their commit and re-checks the updated row, which no
   * longer matches, so nothing is inserted.
   */
  async createSession(session: SessionRecord, checkedPasswordHash: string): Promise<boolean> {
    const inserted = await pooledQuery(
      this.#pool,
      'createSession',
      `WITH account AS (
         SELECT id FROM accounts WHERE id = $2 AND password_hash = $6 AND disabled_at IS NULL FOR SHARE
       )
       INSERT INTO sessions (token_hash, account_id, created_at, expires_at, last_seen) SELECT $1, id, $3, $4, $5 FROM account`,
      [session.tokenHash, session.accountId, session.createdAt, session.expiresAt, session.lastSeen, checkedPasswordHash],
    )
    return inserted.rowCount === 1
  }

  async findSession(tokenHash: string) {
    const { rows } = await pooledQuery<SessionRow>(
      this.#pool,
      'findSession',
      `SELECT s.token_hash AS "tokenHash", s.account_id AS "accountId", s.created_at AS "createdAt", s.expires_at AS "expiresAt",
              s.last_seen AS "lastSeen", a.username, a.password_hash AS "passwordHash", a.role, a.disabled_at AS "disabledAt",
              a.created_at AS "accountCreatedAt", a.must_change_password AS "mustChangePassword"
       FROM sessions AS s JOIN accounts AS a ON a.id = s.account_id
       WHERE s.token_hash = $1`,
      [tokenHash],
    )
    const row = rows[0]
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
        mustChangePassword: row.mustChangePassword,
      },
    }
  }

  async touchSession(tokenHash: string, lastSeen: string): Promise<void> {
    await pooledQuery(this.#pool, 'touchSession', 'UPDATE sessions SET last_seen = $2 WHERE token_hash = $1', [tokenHash, lastSeen])
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await pooledQuery(this.#pool, 'deleteSession', 'DELETE FROM sessions WHERE token_hash = $1', [tokenHash])
  }

  async deleteExpiredSessions(now: string, idleBefore: string): Promise<number> {
    return (
      (
        await pooledQuery(this.#pool, 'deleteExpiredSessions', 'DELETE FROM sessions WHERE expires_at <= $1 OR last_seen <= $2', [
          now,
          idleBefore,
        ])
      ).rowCount ?? 0
    )
  }
}
