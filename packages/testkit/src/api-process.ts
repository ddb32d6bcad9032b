// The real API (api/src/server.ts) in its own process, as `pnpm start` runs it, serving the built
// web app: for what only a separate process can show (a crash, a restart, the environment read at
// start, several instances behind a load balancer). The one way the tests, the bench and the load
// test start a server.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { StorageConfig } from '../../../api/src/db/storage.ts'
import { freePort } from './free-port.ts'

export type { StorageConfig }

const ROOT = resolve(import.meta.dirname, '../../..')

export const ADMIN_USER = 'admin'
export const ADMIN_PASSWORD = 'e2e-admin-password'

/** The environment that points the server (and the CLI) at `database`. */
export function databaseEnv(database: StorageConfig): Record<string, string> {
  return database.backend === 'sqlite' ? { BOXOFFICE_DB: database.path } : { BOXOFFICE_DATABASE_URL: database.url }
}

/** This process's environment, pointed at `database` alone (a stray BOXOFFICE_DB would clash with a PostgreSQL URL). */
function environmentFor(database: StorageConfig): NodeJS.ProcessEnv {
  const { BOXOFFICE_DB: _file, BOXOFFICE_SYNCHRONOUS: _synchronous, BOXOFFICE_DATABASE_URL: _url, ...others } = process.env
  return { ...others, ...databaseEnv(database) }
}

export interface ApiProcessOptions {
  /** Default: a fresh SQLite file in the process's own temporary folder. Several processes may share one PostgreSQL database. */
  database?: StorageConfig
  /** Added to (and overriding) the environment. */
  env?: Record<string, string>
  /** Flags for node itself, e.g. `--cpu-prof` (which NODE_OPTIONS does not allow). */
  nodeArgs?: string[]
  /** Default: a free one, kept across restarts. */
  port?: number
}

/**
 * Its first account is `admin`, created at start-up from BOXOFFICE_ADMIN_PASSWORD (by whichever
 * instance starts first, when several share a database). Signature checks run in worker threads
 * unless `env` says otherwise (BOXOFFICE_VERIFY_THREADS).
 */
export class ApiProcess {
  readonly directory = mkdtempSync(join(tmpdir(), 'boxoffice-api-'))
  readonly database: StorageConfig
  port: number
  readonly #env: Record<string, string>
  readonly #nodeArgs: string[]
  #child: ChildProcess | undefined
  #log: string[] = []

  constructor(options: ApiProcessOptions = {}) {
    this.database = options.database ?? { backend: 'sqlite', path: join(this.directory, 'boxoffice.db'), synchronous: 'NORMAL' }
    this.port = options.port ?? 0
    this.#env = options.env ?? {}
    this.#nodeArgs = options.nodeArgs ?? []
  }

  /** The SQLite file, for the tests that reach into it (a fault, a copy). */
  get dbPath(): string {
    if (this.database.backend !== 'sqlite') throw new Error('this server runs on PostgreSQL: it has no database file')
    return this.database.path
  }

  /** The server's process id while it runs (for CPU accounting in the bench). */
  get pid(): number | undefined {
    return this.#child?.pid
  }

  get baseURL() {
    return `http://127.0.0.1:${this.port}`
  }

  get running(): boolean {
    const child = this.#child
    return !!child && child.exitCode === null && child.signalCode === null
  }

  async start(): Promise<void> {
    this.port ||= await freePort()
    const child = spawn(process.execPath, [...this.#nodeArgs, '--import', 'tsx', 'api/src/server.ts'], {
      cwd: ROOT,
      env: {
        ...environmentFor(this.database),
        PORT: String(this.port),
        HOST: '127.0.0.1',
        BOXOFFICE_WEB_DIST: join(ROOT, 'web/dist'),
        BOXOFFICE_ADMIN_PASSWORD: ADMIN_PASSWORD,
        ...this.#env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    this.#child = child
    const keep = (data: Buffer) => this.#log.push(data.toString())
    child.stdout!.on('data', keep)
    child.stderr!.on('data', keep)
    // Generous: several instances starting at once while another test file runs can take a while.
    const deadline = Date.now() + 60_000
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`API exited with ${child.exitCode}:\n${this.logs()}`)
      try {
        const response = await fetch(`${this.baseURL}/api/health`)
        if (response.ok) return
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100))
    }
    throw new Error(`API did not become healthy within 60 s:\n${this.logs()}`)
  }

  /** Stops the process: SIGTERM for a clean close, SIGKILL to simulate a crash (nothing is flushed or closed). */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const child = this.#child
    if (!child || child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise((r) => child.once('exit', r))
    child.kill(signal)
    await exited
  }

  logs(): string {
    return this.#log.join('')
  }

  /** The log's JSON lines (the server logs with pino), parsed. */
  logLines(): Record<string, any>[] {
    return this.logs()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, any>)
  }

  /** Creates an account on this server's database with the real command line, as an operator would. */
  addAccount(username: string, password: string, role: 'staff' | 'admin' = 'staff'): Promise<void> {
    const args = ['user', 'add', username, '--role', role]
    return new Promise((resolveRun, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'api/src/cli.ts', ...args], {
        cwd: ROOT,
        env: environmentFor(this.database),
        stdio: ['pipe', 'pipe', 'pipe'],
      })
      let output = ''
      child.stdout!.on('data', (data: Buffer) => (output += data))
      child.stderr!.on('data', (data: Buffer) => (output += data))
      child.once('error', reject)
      child.once('exit', (code) =>
        code === 0 ? resolveRun() : reject(new Error(`boxoffice ${args.join(' ')} exited with ${code}: ${output}`)),
      )
      child.stdin!.end(`${password}\n`)
    })
  }

  async dispose(): Promise<void> {
    await this.stop()
    rmSync(this.directory, { recursive: true, force: true })
  }
}
