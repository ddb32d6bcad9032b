// The command line: `pnpm boxoffice user add NAME` and friends (see cli/user-commands.ts), and
// `pnpm boxoffice migrate-to-postgres --from FILE --to URL` (cli/migrate-to-postgres.ts), and
// `pnpm boxoffice audit verify` (cli/audit-command.ts).
// Exit codes: 0 done, 1 could not be done (the message says why), 2 bad command line.
import { resolve } from 'node:path'
import { runAuditVerify } from './cli/audit-command.ts'
import { AccountError } from './auth/accounts.ts'
import { parseUserCommand, runUserCommand, USAGE, UsageError } from './cli/user-commands.ts'
import { readPasswordFromStdin } from './cli/read-password.ts'
import { ConfigError, readConfig } from './config.ts'
import { migrateSite, MigrationError, parseMigrateCommand } from './cli/migrate-to-postgres.ts'
import { POSTGRES_DEFAULTS } from './config.ts'
import { openSiteReader, openSiteWriter, openStorage } from './db/open-storage.ts'

async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === 'migrate-to-postgres') return moveToPostgres(argv.slice(1))
  if (argv[0] === 'audit') return verifyAudit(argv.slice(1))
  const command = parseUserCommand(argv)
  if (command.command === 'help') {
    console.log(USAGE)
    return 0
  }
  const config = readConfig()
  const storage = await openStorage(config.database)
  for (const warning of storage.warnings) console.error(`boxoffice: warning: ${warning}`)
  try {
    await runUserCommand(command, {
      accounts: storage.accounts,
      audit: storage.audit,
      readPassword: readPasswordFromStdin,
      print: (text) => console.log(text),
    })
    return 0
  } finally {
    await storage.close()
  }
}

async function verifyAudit(argv: readonly string[]): Promise<number> {
  if (argv.length !== 1 || argv[0] !== 'verify') throw new UsageError('audit takes one subcommand: verify')
  const storage = await openStorage(readConfig().database)
  try {
    return (await runAuditVerify(storage.audit, (text) => console.log(text))) ? 0 : 1
  } finally {
    await storage.close()
  }
}

async function moveToPostgres(argv: readonly string[]): Promise<number> {
  const { from, to } = parseMigrateCommand(argv)
  const source = await openSiteReader({ backend: 'sqlite', path: resolve(from), synchronous: 'NORMAL' })
  try {
    const target = await openSiteWriter({ backend: 'postgres', url: to, ...POSTGRES_DEFAULTS })
    try {
      await migrateSite({ source, target, print: (text) => console.log(text) })
      console.log('done: point every instance at the new database with BOXOFFICE_DATABASE_URL')
      return 0
    } finally {
      await target.close()
    }
  } finally {
    await source.close()
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`boxoffice: ${error.message}\n\n${USAGE}`)
      process.exit(2)
    }
    if (error instanceof AccountError || error instanceof ConfigError || error instanceof MigrationError)
      console.error(`boxoffice: ${error.message}`)
    else console.error(error)
    process.exit(1)
  },
)
