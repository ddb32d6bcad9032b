// Fresh, empty databases of one backend for a bench or load-test run: a SQLite file per server
// (ApiProcess makes its own), or a PostgreSQL database per server on BOXOFFICE_TEST_DATABASE_URL,
// or on a throwaway cluster started on first use and removed with the rest at the end.
import type { PostgresConfig, StorageConfig } from '../../../api/src/db/storage.ts'
import { createTestDatabase, testServerUrl, type TestDatabase } from './test-database.ts'
import { ThrowawayPostgres, type ThrowawayPostgresOptions } from './throwaway-postgres.ts'

export type Backend = StorageConfig['backend']

/** What the server defaults to (api/src/config.ts). */
const POSTGRES_SETTINGS = { poolSize: 10, connectionTimeoutMs: 5_000, statementTimeoutMs: 10_000 }

export class FreshDatabases {
  readonly #created: TestDatabase[] = []
  #throwaway: ThrowawayPostgres | undefined
  #serverUrl: string | undefined

  constructor(
    readonly backend: Backend,
    private readonly clusterOptions: ThrowawayPostgresOptions = {},
  ) {}

  /** Undefined on SQLite: each ApiProcess opens a file of its own. */
  async next(): Promise<PostgresConfig | undefined> {
    if (this.backend === 'sqlite') return undefined
    const database = await createTestDatabase(await this.serverUrl())
    this.#created.push(database)
    return { backend: 'postgres', url: database.url, ...POSTGRES_SETTINGS }
  }

  /** The PostgreSQL server the databases are made on. */
  async serverUrl(): Promise<string> {
    this.#serverUrl ??= testServerUrl() ?? (this.#throwaway = await ThrowawayPostgres.start(this.clusterOptions)).url
    return this.#serverUrl
  }

  /** Where the server came from, for a report. */
  describe(): string {
    if (this.backend === 'sqlite') return 'SQLite (a fresh file per server)'
    return this.#throwaway
      ? `PostgreSQL (a throwaway cluster on port ${this.#throwaway.port}, fsync off)`
      : 'PostgreSQL (BOXOFFICE_TEST_DATABASE_URL)'
  }

  async dispose(): Promise<void> {
    for (const database of this.#created.splice(0)) await database.drop().catch(() => {})
    await this.#throwaway?.dispose()
  }
}
