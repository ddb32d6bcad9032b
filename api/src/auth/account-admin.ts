// What the Admin page does to accounts, over HTTP: list, add with a temporary password, change a
// role, disable and enable, set a temporary password. The CLI (cli/user-commands.ts) does the same
// with the same repository; both leave at least one enabled admin, so nobody is locked out.
import type { AccountChangeBody, AccountView } from '@boxoffice/tickets'
import type { AccountRecord, AccountRepository } from '../db/account-repository.ts'
import { AccountConflict, AccountNotFound, InvalidRequest, LastAdmin } from '../errors.ts'
import { AccountError, addAccount, changePassword, normalizeUsername, passwordProblem, usernameProblem } from './accounts.ts'
import type { ScryptParams } from './password-hash.ts'

export function toAccountView(account: AccountRecord): AccountView {
  return {
    username: account.username,
    role: account.role,
    disabled: account.disabledAt !== null,
    mustChangePassword: account.mustChangePassword,
    createdAt: account.createdAt,
  }
}

/** The account named so; ACCOUNT_NOT_FOUND otherwise. */
async function existing(accounts: AccountRepository, rawUsername: string): Promise<AccountRecord> {
  const username = normalizeUsername(rawUsername)
  const account = await accounts.findAccount(username)
  if (!account) throw new AccountNotFound(`no account named ${JSON.stringify(username)}`)
  return account
}

export async function createAccountWithTemporaryPassword(
  accounts: AccountRepository,
  body: { username: string; role: AccountRecord['role']; temporaryPassword: string },
  scrypt: ScryptParams,
): Promise<AccountRecord> {
  const username = normalizeUsername(body.username)
  const problem = usernameProblem(username) ?? passwordProblem(body.temporaryPassword)
  if (problem) throw new InvalidRequest(problem)
  try {
    return await addAccount(accounts, { username, password: body.temporaryPassword, role: body.role, scrypt, mustChangePassword: true })
  } catch (error) {
    // The only refusal left once the name and password passed: the name is taken.
    if (error instanceof AccountError) throw new AccountConflict(error.message)
    throw error
  }
}

/**
 * Another role, or disabled or enabled. Refused with LAST_ADMIN when it would leave no enabled
 * admin. (Two admins demoting each other at the same instant could both pass this check; the CLI
 * can always make an admin again.)
 */
export async function changeAccount(accounts: AccountRepository, rawUsername: string, change: AccountChangeBody): Promise<AccountRecord> {
  let account = await existing(accounts, rawUsername)
  const losesAdmin =
    account.role === 'admin' && account.disabledAt === null && ((change.role && change.role !== 'admin') || change.disabled)
  if (losesAdmin) {
    const admins = (await accounts.listAccounts()).filter((other) => other.role === 'admin' && other.disabledAt === null)
    if (admins.length <= 1) throw new LastAdmin(`${account.username} is the only enabled admin; make another admin first`)
  }
  if (change.role && change.role !== account.role) account = (await accounts.setRole(account.username, change.role)) ?? account
  if (change.disabled === true) account = (await accounts.disableAccount(account.username, new Date().toISOString()))?.account ?? account
  if (change.disabled === false) account = (await accounts.enableAccount(account.username)) ?? account
  return account
}

/** A temporary password set by an admin: every session of the account ends, and the next sign-in must change it. */
export async function setTemporaryPassword(
  accounts: AccountRepository,
  rawUsername: string,
  temporaryPassword: string,
  scrypt: ScryptParams,
): Promise<AccountRecord> {
  const account = await existing(accounts, rawUsername)
  const problem = passwordProblem(temporaryPassword)
  if (problem) throw new InvalidRequest(problem)
  return (await changePassword(accounts, account.username, temporaryPassword, scrypt, true)).account
}
