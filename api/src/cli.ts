// The command line: `pnpm boxoffice user add NAME` and friends (see cli/user-commands.ts).
// Exit codes: 0 done, 1 could not be done (the message says why), 2 bad command line.
import { AccountError } from './auth/accounts.ts'
import { parseUserCommand, runUserCommand, USAGE, UsageError } from './cli/user-commands.ts'
import { readPasswordFromStdin } from './cli/read-password.ts'
import { ConfigError, readConfig } from './config.ts'
import { openStorage } from './db/open-storage.ts'

async function main(argv: readonly string[]): Promise<number> {
  const command = parseUserCommand(argv)
  if (command.command === 'help') {
    console.log(USAGE)
    return 0
  }
  const config = readConfig()
  const storage = await openStorage(config.database)
  try {
    await runUserCommand(command, {
      accounts: storage.accounts,
      readPassword: readPasswordFromStdin,
      print: (text) => console.log(text),
    })
    return 0
  } finally {
    await storage.close()
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`boxoffice: ${error.message}\n\n${USAGE}`)
      process.exit(2)
    }
    if (error instanceof AccountError || error instanceof ConfigError) console.error(`boxoffice: ${error.message}`)
    else console.error(error)
    process.exit(1)
  },
)
