import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '../..')

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))))
    })
  })
}

export const ADMIN_USER = 'admin'
export const ADMIN_PASSWORD = 'e2e-admin-password'

/**
 * The real API (server.ts) in its own process, on a fresh SQLite file, serving the built web app.
 * Its first account is `admin`, created at start-up from BOXOFFICE_ADMIN_PASSWORD.
 */
export class ApiProcess {
  readonly directory = mkdtempSync(join(tmpdir(), 'boxoffice-e2e-'))
  readonly dbPath = join(this.directory, 'boxoffice.db')
  port = 0
  #child: ChildProcess | undefined
  #log: string[] = []

  constructor(
    private readonly extraEnv: Record<string, string> = {},
    /** Flags for node itself, e.g. `--cpu-prof` (which NODE_OPTIONS does not allow). */
    private readonly nodeArgs: string[] = [],
  ) {}

  /** The server's process id while it runs (for CPU accounting in the bench). */
  get pid(): number | undefined {
    return this.#child?.pid
  }

  get baseURL() {
    return `http://127.0.0.1:${this.port}`
  }

  async start(): Promise<void> {
    this.port ||= await freePort()
    const child = spawn(process.execPath, [...this.nodeArgs, '--import', 'tsx', 'api/src/server.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(this.port),
        HOST: '127.0.0.1',
        BOXOFFICE_DB: this.dbPath,
        BOXOFFICE_WEB_DIST: join(ROOT, 'web/dist'),
        BOXOFFICE_ADMIN_PASSWORD: ADMIN_PASSWORD,
        ...this.extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    this.#child = child
    const keep = (data: Buffer) => this.#log.push(data.toString())
    child.stdout!.on('data', keep)
    child.stderr!.on('data', keep)
    const deadline = Date.now() + 30_000
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`API exited with ${child.exitCode}:\n${this.#log.join('')}`)
      try {
        const response = await fetch(`${this.baseURL}/api/health`)
        if (response.ok) return
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100))
    }
    throw new Error(`API did not become healthy within 30 s:\n${this.#log.join('')}`)
  }

  /** Stops the process: SIGTERM for a clean close, SIGKILL to simulate a crash. */
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

  /** Creates an account on this server's database with the real command line, as an operator would. */
  addAccount(username: string, password: string, role: 'staff' | 'admin' = 'staff'): Promise<void> {
    const args = ['user', 'add', username, '--role', role]
    return new Promise((resolveRun, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'api/src/cli.ts', ...args], {
        cwd: ROOT,
        env: { ...process.env, BOXOFFICE_DB: this.dbPath },
        stdio: ['pipe', 'pipe', 'pipe'],
      })
      let output = ''
      child.stdout!.on('data', (data: Buffer) => (output += data))
      child.stderr!.on('data', (data: Buffer) => (output += data))
      child.once('error', reject)
      child.once('exit', (code) => (code === 0 ? resolveRun() : reject(new Error(`boxoffice ${args.join(' ')} exited with ${code}: ${output}`))))
      child.stdin!.end(`${password}\n`)
    })
  }

  async dispose(): Promise<void> {
    await this.stop()
    rmSync(this.directory, { recursive: true, force: true })
  }
}
