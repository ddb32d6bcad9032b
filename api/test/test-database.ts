// The database an API test runs on. The test command runs the API tests twice, once on each
// backend (BOXOFFICE_TEST_BACKEND=sqlite, then postgres; see scripts/run-all-tests.ts), so that
// every route test holds on both without being written twice.
import { addTestTicketType } from './test-events.ts'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import { createTestDatabase } from '@boxoffice/testkit/test-database'
import { openStorage } from '../src/db/open-storage.ts'
import type { Storage, StorageConfig } from '../src/db/storage.ts'
import { POSTGRES_DEFAULTS } from '../src/config.ts'
import { tempDir } from './temp-dir.ts'

export type TestBackend = StorageConfig['backend']
export const TEST_BACKENDS: readonly TestBackend[] = ['sqlite', 'postgres']

/** BOXOFFICE_TEST_BACKEND, `sqlite` by default. */
export function testBackend(): TestBackend {
  const backend = process.env.BOXOFFICE_TEST_BACKEND || 'sqlite'
  if (backend !== 'sqlite' && backend !== 'postgres')
    throw new Error(`BOXOFFICE_TEST_BACKEND must be sqlite or postgres; got ${JSON.stringify(backend)}`)
  return backend
}

/**
 * A new, empty database, removed after the test: a SQLite file in a fresh folder, or a new
 * PostgreSQL database on the test run's server (BOXOFFICE_TEST_DATABASE_URL).
 */
export async function testDatabase(t: TestContext, backend: TestBackend = testBackend()): Promise<StorageConfig> {
  if (backend === 'sqlite') return { backend, path: join(tempDir(t), 'boxoffice.db'), synchronous: 'NORMAL' }
  const database = await createTestDatabase()
  // Dropped with FORCE, which also ends the app's connections if the test has not closed it yet.
  t.after(() => database.drop())
  return { backend, url: database.url, ...POSTGRES_DEFAULTS }
}

/** Every repository on a new database that holds only the default test ticket type (test-events.ts); closed after the test. */
export async function testStorage(t: TestContext, backend: TestBackend = testBackend()): Promise<Storage> {
  const storage = await openStorage(await testDatabase(t, backend))
  t.after(() => storage.close())
  await addTestTicketType(storage.events)
  return storage
}
