// A PostgreSQL server of its own for one test run: `initdb` and `pg_ctl` in a temporary folder, on
// a free port, trusting local connections, with its socket inside that folder (not in
// /var/run/postgresql). Debian's packages put the binaries in /usr/lib/postgresql/<version>/bin,
// off the PATH. initdb refuses to run as root, so as root the cluster belongs to `postgres`.
import { execFile } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { freePort } from './free-port.ts'

const run = promisify(execFile)

/** The newest Debian PostgreSQL install, or BOXOFFICE_PG_BIN. */
export function postgresBinDir(): string {
  const configured = process.env.BOXOFFICE_PG_BIN
  if (configured) return configured
  const root = '/usr/lib/postgresql'
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((name) => /^\d+$/.test(name))
        .sort((a, b) => Number(b) - Number(a))
    : []
  const found = versions.map((version) => join(root, version, 'bin')).find((dir) => existsSync(join(dir, 'pg_ctl')))
  if (!found) throw new Error(`no PostgreSQL server found under ${root} (apt-get install postgresql, or set BOXOFFICE_PG_BIN)`)
  return found
}

export interface ThrowawayPostgresOptions {
  /** Extra `postgres -c` settings, e.g. `{ max_connections: '200' }`. */
  settings?: Record<string, string>
}

export class ThrowawayPostgres {
  readonly directory: string
  readonly port: number
  readonly #bin: string
  readonly #asPostgresUser: boolean
  readonly #settings: Record<string, string>

  private constructor(directory: string, port: number, bin: string, settings: Record<string, string>) {
    this.directory = directory
    this.port = port
    this.#bin = bin
    this.#asPostgresUser = process.getuid?.() === 0
    this.#settings = settings
  }

  /** Creates the cluster and starts it; about a second. */
  static async start(options: ThrowawayPostgresOptions = {}): Promise<ThrowawayPostgres> {
    const directory = mkdtempSync(join(tmpdir(), 'boxoffice-pg-'))
    const server = new ThrowawayPostgres(directory, await freePort(), postgresBinDir(), {
      // A test cluster: durability is not what is measured here, and fsync on a shared disk is slow.
      fsync: 'off',
      max_connections: '200',
      ...options.settings,
    })
    try {
      if (server.#asPostgresUser) chownSync(directory, ...postgresUid())
      await server.#run('initdb', ['-D', server.dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale', 'C'])
      await server.startServer()
      return server
    } catch (error) {
      rmSync(directory, { recursive: true, force: true })
      throw error
    }
  }

  get dataDir(): string {
    return join(this.directory, 'data')
  }

  /** The cluster's own `postgres` database, as its superuser. */
  get url(): string {
    return this.urlOf('postgres')
  }

  urlOf(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`
  }

  async startServer(): Promise<void> {
    const settings = Object.entries(this.#settings)
      .map(([name, value]) => `-c ${name}=${value}`)
      .join(' ')
    await this.#run('pg_ctl', [
      '-D',
      this.dataDir,
      '-o',
      `-p ${this.port} -k ${this.directory} -h 127.0.0.1 ${settings}`,
      '-l',
      join(this.directory, 'log'),
      '-w',
      'start',
    ])
  }

  /** `fast` ends sessions cleanly; `immediate` is a crash (recovery runs at the next start). */
  async stopServer(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    await this.#run('pg_ctl', ['-D', this.dataDir, '-m', mode, '-w', 'stop'])
  }

  /** What the server wrote to its log, for a failing test's message. */
  log(): string {
    try {
      return readFileSync(join(this.directory, 'log'), 'utf8')
    } catch {
      return ''
    }
  }

  async dispose(): Promise<void> {
    try {
      await this.stopServer('immediate')
    } catch {
      // Already stopped.
    }
    rmSync(this.directory, { recursive: true, force: true })
  }

  async #run(tool: string, args: string[]): Promise<void> {
    const binary = join(this.#bin, tool)
    const [file, fullArgs] = this.#asPostgresUser ? ['runuser', ['-u', 'postgres', '--', binary, ...args]] : [binary, args]
    try {
      await run(file, fullArgs, { cwd: this.directory, timeout: 60_000 })
    } catch (error) {
      const { stderr, stdout } = error as { stderr?: string; stdout?: string }
      throw new Error(`${tool} ${args.join(' ')} failed: ${stderr || stdout || String(error)}\n${this.log()}`, { cause: error })
    }
  }
}

function postgresUid(): [number, number] {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('postgres:'))
  if (!line) throw new Error('running as root needs a `postgres` user to own the cluster (apt-get install postgresql creates it)')
  const [, , uid, gid] = line.split(':')
  return [Number(uid), Number(gid)]
}
