// A fresh, empty PostgreSQL database per test (or per test file), on the server the test run uses:
// BOXOFFICE_TEST_DATABASE_URL, set by the test command (scripts/run-all-tests.ts), which starts a
// throwaway cluster when none is given. Each database is dropped afterwards, its sessions with it.
import { randomBytes } from 'node:crypto'
import pg from 'pg'

export const TEST_DATABASE_URL_VARIABLE = 'BOXOFFICE_TEST_DATABASE_URL'

/** The PostgreSQL server of this test run, or undefined when there is none. */
export function testServerUrl(): string | undefined {
  return process.env[TEST_DATABASE_URL_VARIABLE] || undefined
}

export function requireTestServerUrl(): string {
  const url = testServerUrl()
  if (!url) {
    throw new Error(
      `${TEST_DATABASE_URL_VARIABLE} is not set: run the tests through \`bash scripts/test.sh\` or \`pnpm test\`, which start a throwaway PostgreSQL, or point it at a server you may create databases on`,
    )
  }
  return url
}

export interface TestDatabase {
  /** A connection string for the new database, as BOXOFFICE_DATABASE_URL takes it. */
  url: string
  name: string
  drop(): Promise<void>
}

/** Creates `boxoffice_test_<random>` on the server at `serverUrl`. */
export async function createTestDatabase(serverUrl: string = requireTestServerUrl()): Promise<TestDatabase> {
  const name = `boxoffice_test_${randomBytes(6).toString('hex')}`
  await withAdmin(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`))
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    name,
    drop: () => withAdmin(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => {}),
  }
}

async function withAdmin<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}
