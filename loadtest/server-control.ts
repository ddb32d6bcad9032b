// The server under load, as the options ask for it:
//   - SQLite: one API process (api/src/server.ts) on a fresh file;
//   - PostgreSQL, one instance: one API process on a fresh database;
//   - PostgreSQL, N instances: N API processes on a fresh database behind nginx running
//     deploy/nginx/boxoffice.conf (testkit's ScaledOutApi).
// One staff account per box office is made by the real command line (`pnpm boxoffice user add`).
// The crash: SIGKILL to one instance, then a new process on the same database and port.
import { ApiProcess, type StorageConfig } from '@boxoffice/testkit/api-process'
import type { FreshDatabases } from '@boxoffice/testkit/fresh-databases'
import { ScaledOutApi } from '@boxoffice/testkit/scaled-out-api'

export interface StaffAccount {
  username: string
  password: string
}

export interface ServerPlan {
  /** Where each phase's fresh database comes from: a SQLite file, or a PostgreSQL database. */
  databases: FreshDatabases
  instances: number
}

export class LoadTestServer {
  readonly #plan: ServerPlan
  #single: ApiProcess | undefined
  #cluster: ScaledOutApi | undefined

  constructor(plan: ServerPlan) {
    if (plan.instances > 1 && plan.databases.backend !== 'postgres')
      throw new Error('several instances need --db postgres: SQLite is one process on one file')
    this.#plan = plan
  }

  get baseURL(): string {
    return this.#cluster?.baseURL ?? this.#single!.baseURL
  }

  get database(): StorageConfig {
    return this.#instances()[0]!.database
  }

  get instanceCount(): number {
    return this.#plan.instances
  }

  async start(): Promise<void> {
    const database = await this.#plan.databases.next()
    if (!database || this.#plan.instances === 1) {
      this.#single = new ApiProcess({ database })
      await this.#single.start()
    } else {
      this.#cluster = new ScaledOutApi({ database, instances: this.#plan.instances })
      await this.#cluster.start()
    }
  }

  /** Creates staff accounts `office-1` … `office-N` through the CLI, as an operator would. */
  async addStaffAccounts(count: number): Promise<StaffAccount[]> {
    const accounts = Array.from({ length: count }, (_, i) => ({ username: `office-${i + 1}`, password: `load-test-password-${i + 1}` }))
    await Promise.all(accounts.map((account) => this.#instances()[0]!.addAccount(account.username, account.password)))
    return accounts
  }

  /**
   * Kills one instance without warning (a crash) and starts it again on the same database and
   * port; returns the milliseconds it was down. Behind nginx the others carry on meanwhile.
   */
  async crashAndRestart(): Promise<number> {
    const instances = this.#instances()
    const victim = instances[Math.floor(instances.length / 2)]!
    const killed = performance.now()
    await victim.stop('SIGKILL')
    await victim.start()
    return performance.now() - killed
  }

  logs(): string {
    return this.#cluster?.logs() ?? this.#single?.logs() ?? ''
  }

  async dispose(): Promise<void> {
    await this.#cluster?.dispose()
    await this.#single?.dispose()
  }

  #instances(): ApiProcess[] {
    return this.#cluster?.instances ?? [this.#single!]
  }
}
