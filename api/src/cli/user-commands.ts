// `boxoffice user …`: managing staff accounts from a shell on the server. Parsing and running are
// separate from process I/O (cli.ts) so that tests call them directly.
import { AccountError, addAccount, changePassword, normalizeUsername } from '../auth/accounts.ts'
import type { ScryptParams } from '../auth/password-hash.ts'
import { serverSideEntry, type AuditAction } from '../audit/audit-trail.ts'
import type { AccountRecord, AccountRepository, AccountRole } from '../db/account-repository.ts'
import type { AuditRepository } from '../db/audit-repository.ts'
import { AUDIT_USAGE } from './audit-command.ts'

export const USAGE = `usage:
  boxoffice user add NAME [--role admin|staff|gate]   create an account; the password is read from stdin
  boxoffice user list                            list the accounts
  boxoffice user disable NAME                    stop an account signing in, and sign it out everywhere
  boxoffice user enable NAME                     let a disabled account sign in again
  boxoffice user passwd NAME                     set a new password (read from stdin), and sign the account out everywhere
  boxoffice user signout NAME                    sign the account out everywhere (it may sign in again)
  boxoffice migrate-to-postgres --from FILE --to URL
                                                 copy a SQLite site into an empty PostgreSQL database, and verify it
${AUDIT_USAGE}

The first account is an admin unless --role says otherwise; later ones are staff.
The database is BOXOFFICE_DB or BOXOFFICE_DATABASE_URL, as for the server.`

/** A command line that does not parse: exit code 2 with the usage. */
export class UsageError extends Error {
  override name = 'UsageError'
}

export type UserCommand =
  | { command: 'help' }
  | { command: 'add'; username: string; role?: AccountRole }
  | { command: 'list' }
  | { command: 'disable'; username: string }
  | { command: 'enable'; username: string }
  | { command: 'passwd'; username: string }
  | { command: 'signout'; username: string }

export function parseUserCommand(argv: readonly string[]): UserCommand {
  const [group, verb, ...rest] = argv
  if (group === undefined || group === 'help' || group === '--help' || group === '-h') return { command: 'help' }
  if (group !== 'user') throw new UsageError(`unknown command ${JSON.stringify(group)}`)
  switch (verb) {
    case 'add': {
      const [username, ...options] = rest
      if (username === undefined || username.startsWith('-')) throw new UsageError('user add needs a NAME')
      if (options.length === 0) return { command: 'add', username }
      const [flag, role, ...extra] = options
      if (flag !== '--role' || (role !== 'admin' && role !== 'staff' && role !== 'gate') || extra.length > 0) {
        throw new UsageError('user add takes only --role admin, --role staff or --role gate after the NAME')
      }
      return { command: 'add', username, role }
    }
    case 'list':
      if (rest.length > 0) throw new UsageError('user list takes no arguments')
      return { command: 'list' }
    case 'disable':
    case 'enable':
    case 'passwd':
    case 'signout': {
      if (rest.length !== 1) throw new UsageError(`user ${verb} needs exactly one NAME`)
      return { command: verb, username: rest[0]! }
    }
    default:
      throw new UsageError(verb === undefined ? 'user needs a subcommand' : `unknown subcommand user ${verb}`)
  }
}

export interface UserCommandDeps {
  accounts: AccountRepository
  /** Asked only by `add` and `passwd`. */
  readPassword(username: string): Promise<string>
  print(text: string): void
  scrypt?: ScryptParams
  /** Where the changes are recorded, as the API records its own (docs/api.md, "The audit log"). */
  audit: AuditRepository
}

/** Runs the command; throws AccountError (exit 1) when it cannot be done. */
export async function runUserCommand(command: UserCommand, deps: UserCommandDeps): Promise<void> {
  const { accounts, print } = deps
  const record = (action: AuditAction, subject: string, detail?: Record<string, unknown>) =>
    deps.audit.append(serverSideEntry('cli', action, subject, detail))
  switch (command.command) {
    case 'help':
      print(USAGE)
      return
    case 'add': {
      const password = await deps.readPassword(normalizeUsername(command.username))
      const account = await addAccount(accounts, { ...command, password, scrypt: deps.scrypt })
      await record('account.created', account.username, { role: account.role })
      print(`created ${account.role} account ${account.username}`)
      return
    }
    case 'list':
      print(formatAccountTable(await accounts.listAccounts()))
      return
    case 'disable': {
      const username = normalizeUsername(command.username)
      const before = await accounts.findAccount(username)
      const result = await accounts.disableAccount(username, new Date().toISOString())
      if (!before || !result) throw new AccountError(`no account named ${JSON.stringify(username)}`)
      const sessions = `${sessionCount(result.sessionsEnded)} ended`
      if (!before.disabledAt) await record('account.disabled', username)
      print(before.disabledAt ? `${username} was already disabled (${sessions})` : `disabled ${username}; ${sessions}`)
      return
    }
    case 'enable': {
      const username = normalizeUsername(command.username)
      const before = await accounts.findAccount(username)
      const account = await accounts.enableAccount(username)
      if (!before || !account) throw new AccountError(`no account named ${JSON.stringify(username)}`)
      if (before.disabledAt) await record('account.enabled', username)
      print(`enabled ${username}`)
      return
    }
    case 'passwd': {
      const username = normalizeUsername(command.username)
      if (!(await accounts.findAccount(username))) throw new AccountError(`no account named ${JSON.stringify(username)}`)
      const password = await deps.readPassword(username)
      const { sessionsEnded } = await changePassword(accounts, username, password, deps.scrypt)
      await record('account.password_set', username, { sessionsEnded })
      print(`changed the password of ${username}; ${sessionCount(sessionsEnded)} ended`)
      return
    }
    case 'signout': {
      const username = normalizeUsername(command.username)
      const result = await accounts.endSessions(username)
      if (!result) throw new AccountError(`no account named ${JSON.stringify(username)}`)
      await record('account.signed_out', username, { sessionsEnded: result.sessionsEnded })
      print(`signed out ${username} everywhere; ${sessionCount(result.sessionsEnded)} ended`)
      return
    }
  }
}

const sessionCount = (count: number) => `${count} session${count === 1 ? '' : 's'}`

export function formatAccountTable(accounts: readonly AccountRecord[]): string {
  if (accounts.length === 0) return 'no accounts yet: create one with `pnpm boxoffice user add NAME`'
  const rows = [
    ['USERNAME', 'ROLE', 'STATUS', 'CREATED'],
    ...accounts.map((account) => [
      account.username,
      account.role,
      account.disabledAt ? `disabled ${account.disabledAt.slice(0, 16).replace('T', ' ')}` : 'active',
      account.createdAt.slice(0, 16).replace('T', ' '),
    ]),
  ]
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)))
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
}
