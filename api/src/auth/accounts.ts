// Staff accounts: creating them (CLI, start-up bootstrap) and checking a password at sign-in.
import type { AccountRecord, AccountRepository, AccountRole } from '../db/account-repository.ts'
import { DEFAULT_SCRYPT, hashPassword, verifyPassword, type ScryptParams } from './password-hash.ts'

export const MIN_PASSWORD_LENGTH = 8
export const MAX_PASSWORD_LENGTH = 1024
const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/

/** A refusal meant for the person at the keyboard (CLI, start-up). */
export class AccountError extends Error {
  override name = 'AccountError'
}

/** Usernames are case-insensitive: stored and looked up in lower case, without surrounding blanks. */
export function normalizeUsername(username: string): string {
  return username.trim().toLowerCase()
}

export function usernameProblem(username: string): string | undefined {
  if (USERNAME_PATTERN.test(username)) return undefined
  return `username ${JSON.stringify(username)} must be 1–64 characters of a–z, 0–9, '.', '_' or '-', starting with a letter or digit`
}

export function passwordProblem(password: string): string | undefined {
  const length = [...password].length
  if (length < MIN_PASSWORD_LENGTH) return `password must be at least ${MIN_PASSWORD_LENGTH} characters (got ${length})`
  if (length > MAX_PASSWORD_LENGTH) return `password must be at most ${MAX_PASSWORD_LENGTH} characters`
  return undefined
}

export interface NewAccountRequest {
  username: string
  password: string
  /** Default: admin for the very first account, staff after that. */
  role?: AccountRole
  /** Hashing cost; tests pass cheap parameters. */
  scrypt?: ScryptParams
  /** A temporary password (set by an admin): it must be changed at the first sign-in. */
  mustChangePassword?: boolean
}

export async function addAccount(accounts: AccountRepository, request: NewAccountRequest): Promise<AccountRecord> {
  const username = normalizeUsername(request.username)
  const problem = usernameProblem(username) ?? passwordProblem(request.password)
  if (problem) throw new AccountError(problem)
  const role = request.role ?? ((await accounts.countAccounts()) === 0 ? 'admin' : 'staff')
  const passwordHash = await hashPassword(request.password, request.scrypt)
  const { created, account } = await accounts.createAccount({
    username,
    passwordHash,
    role,
    createdAt: new Date().toISOString(),
    mustChangePassword: request.mustChangePassword ?? false,
  })
  if (!created) throw new AccountError(`an account named ${JSON.stringify(username)} already exists`)
  return account
}

/**
 * Sets a new password (checked like a new account's) and ends every session of the account.
 * `mustChange`: a temporary password, which the account must change at its next sign-in.
 */
export async function changePassword(
  accounts: AccountRepository,
  rawUsername: string,
  password: string,
  scrypt?: ScryptParams,
  mustChange = false,
): Promise<{ account: AccountRecord; sessionsEnded: number }> {
  const username = normalizeUsername(rawUsername)
  const problem = passwordProblem(password)
  if (problem) throw new AccountError(problem)
  // Looked up first, so that an unknown name is told without the cost of hashing.
  if (!(await accounts.findAccount(username))) throw new AccountError(`no account named ${JSON.stringify(username)}`)
  const changed = await accounts.setPassword(username, await hashPassword(password, scrypt), { mustChange })
  if (!changed) throw new AccountError(`no account named ${JSON.stringify(username)}`)
  return changed
}

export type Authentication =
  { ok: true; account: AccountRecord } | { ok: false; reason: 'unknown-user' | 'wrong-password' | 'disabled'; username: string }

/**
 * Checks a username and password. An unknown username costs the same scrypt work as a known one
 * (a dummy hash with the same parameters), and a disabled account's password is checked too, so
 * the answer's timing does not tell which case it was. The caller answers every failure alike.
 */
export class PasswordChecker {
  readonly #accounts: AccountRepository
  readonly #dummyHash: Promise<string>

  /** `scrypt`: the cost of the accounts' hashes, which new passwords set through the API get too. */
  constructor(
    accounts: AccountRepository,
    readonly scrypt: ScryptParams = DEFAULT_SCRYPT,
  ) {
    this.#accounts = accounts
    // Computed once, up front, so that the first unknown-user sign-in is not slower than the rest.
    this.#dummyHash = hashPassword('dummy password for unknown users', scrypt)
  }

  async authenticate(rawUsername: string, password: string): Promise<Authentication> {
    const username = normalizeUsername(rawUsername)
    const account = await this.#accounts.findAccount(username)
    const matches = await verifyPassword(password, account?.passwordHash ?? (await this.#dummyHash))
    if (!account) return { ok: false, reason: 'unknown-user', username }
    if (!matches) return { ok: false, reason: 'wrong-password', username }
    if (account.disabledAt !== null) return { ok: false, reason: 'disabled', username }
    return { ok: true, account }
  }
}
