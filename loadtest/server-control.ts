// The server under load: the real API (api/src/server.ts) in its own process on a fresh SQLite
// file (e2e's ApiProcess), with one staff account per box office made by the real command line
// (`pnpm boxoffice user add`), and a crash-restart: SIGKILL, then a new process on the same
// database file and port.
import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { ApiProcess } from '../e2e/support/api-process.ts'

const ROOT = resolve(import.meta.dirname, '..')

export interface StaffAccount {
  username: string
  password: string
}

export class LoadTestServer {
  readonly #api = new ApiProcess()

  get baseURL(): string {
    return this.#api.baseURL
  }

  get dbPath(): string {
    return this.#api.dbPath
  }

  async start(): Promise<void> {
    await this.#api.start()
  }

  /** Creates staff accounts `office-1` … `office-N` through the CLI, as an operator would. */
  async addStaffAccounts(count: number): Promise<StaffAccount[]> {
    const accounts = Array.from({ length: count }, (_, i) => ({ username: `office-${i + 1}`, password: `load-test-password-${i + 1}` }))
    await Promise.all(accounts.map((account) => this.#runCli(['user', 'add', account.username, '--role', 'staff'], `${account.password}\n`)))
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

  #runCli(args: string[], stdin: string): Promise<void> {
    return new Promise((resolveRun, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'api/src/cli.ts', ...args], {
        cwd: ROOT,
        env: { ...process.env, BOXOFFICE_DB: this.#api.dbPath },
        stdio: ['pipe', 'pipe', 'pipe'],
      })
      let output = ''
      child.stdout!.on('data', (data: Buffer) => (output += data))
      child.stderr!.on('data', (data: Buffer) => (output += data))
      child.once('error', reject)
      child.once('exit', (code) => (code === 0 ? resolveRun() : reject(new Error(`boxoffice ${args.join(' ')} exited with ${code}: ${output}`))))
      child.stdin!.end(stdin)
    })
  }
}
