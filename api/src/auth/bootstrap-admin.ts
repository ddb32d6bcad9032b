import { serverSideEntry } from '../audit/audit-trail.ts'
import type { AccountRepository } from '../db/account-repository.ts'
import type { AuditRepository } from '../db/audit-repository.ts'
import { AccountError, addAccount } from './accounts.ts'
import type { ScryptParams } from './password-hash.ts'

export type BootstrapOutcome =
  | { action: 'created'; username: string }
  /** Accounts exist; a given password was not used. */
  | { action: 'accounts-exist'; passwordIgnored: boolean }
  /** No account exists and no password was given: nobody can sign in yet. */
  | { action: 'no-account' }

/**
 * At start-up: when the database has no account at all and a password is given
 * (BOXOFFICE_ADMIN_PASSWORD), creates the first admin with it. Never touches existing accounts,
 * so the variable can stay set across restarts. Several instances starting at once on an empty
 * database create it once: the others find it made, and only the one that made it writes it into
 * the audit log. Throws AccountError for an unusable name or password.
 */
export async function bootstrapAdmin(
  { accounts, audit }: { accounts: AccountRepository; audit: AuditRepository },
  admin: { username: string; password: string | undefined },
  scrypt?: ScryptParams,
): Promise<BootstrapOutcome> {
  if ((await accounts.countAccounts()) > 0) return { action: 'accounts-exist', passwordIgnored: admin.password !== undefined }
  if (admin.password === undefined) return { action: 'no-account' }
  try {
    const account = await addAccount(accounts, { username: admin.username, password: admin.password, role: 'admin', scrypt })
    await audit.append(serverSideEntry('startup', 'account.created', account.username, { role: account.role }))
    return { action: 'created', username: account.username }
  } catch (error) {
    // Another instance created it between the count and the insert.
    if (error instanceof AccountError && (await accounts.countAccounts()) > 0) return { action: 'accounts-exist', passwordIgnored: true }
    throw error
  }
}

/** What the server log says about it. */
export function describeBootstrap(outcome: BootstrapOutcome): { level: 'info' | 'warn'; message: string } | undefined {
  switch (outcome.action) {
    case 'created':
      return {
        level: 'info',
        message: `created the first account, admin ${JSON.stringify(outcome.username)}, from BOXOFFICE_ADMIN_PASSWORD`,
      }
    case 'accounts-exist':
      return outcome.passwordIgnored ? { level: 'info', message: 'accounts exist; BOXOFFICE_ADMIN_PASSWORD is ignored' } : undefined
    case 'no-account':
      return {
        level: 'warn',
        message:
          'no staff account exists, so nobody can sign in. Create one with `pnpm boxoffice user add NAME` ' +
          '(it reads the password from stdin), or start the server with BOXOFFICE_ADMIN_PASSWORD set',
      }
  }
}
