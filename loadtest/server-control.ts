// The server under load: the real API (api/src/server.ts) in its own process on a fresh SQLite
// file (e2e's ApiProcess), with one staff account per box office made by the real command line
// (`pnpm boxoffice user add`), and a crash-restart: SIGKILL, then a new process on the same
// database file and port.
import { ApiProcess } from '@boxoffice/testkit/api-process'

export interface StaffAccount {
  username: string
  password: string
}

export class LoadTestServer {
  readonly #api = new ApiProcess()

  get baseURL(): string {
    return this.#api.baseURL
  }

  get database() {
    return this.#api.database
  }

  async start(): Promise<void> {
    await this.#api.start()
  }

  /** Creates staff accounts `office-1` … `office-N` through the CLI, as an operator would. */
  async addStaffAccounts(count: number): Promise<StaffAccount[]> {
    const accounts = Array.from({ length: count }, (_, i) => ({ username: `office-${i + 1}`, password: `load-test-password-${i + 1}` }))
    await Promise.all(accounts.map((account) => this.#api.addAccount(account.username, account.password)))
    return accounts
  }

  /** Kills the server without warning (a crash) and starts it again on the same file and port; returns the milliseconds it was down. */
  async crashAndRestart(): Promise<number> {
    const killed = performance.now()
    await this.#api.stop('SIGKILL')
    await this.#api.start()
    return performance.now() - killed
  }

  logs(): string {
    return this.#api.logs()
  }

  async dispose(): Promise<void> {
    await this.#api.dispose()
  }
}
