// The load test's command line: `pnpm loadtest [--offices 8] [--tickets 100000] [--in-flight 4]
// [--restart | --no-restart] [--restart-at 0.5] [--gzip | --plain] [--db sqlite|postgres]
// [--instances N]`.

export interface LoadTestOptions {
  /** Simulated box offices, each with its own staff account, key and batch, all uploading at once. */
  offices: number
  /** Tickets in each office's batch. */
  ticketsPerOffice: number
  /** Chunk requests each office keeps in flight (and HTTP connections it opens). */
  inFlight: number
  /** Which phases run: without a server restart, with one, or both (in that order). */
  phases: Phase[]
  /** The restart phase kills the server once this share of all tickets is acknowledged. */
  restartAt: number
  /** Chunk bodies as signatures alone, as the browser sends them, or JSON (gzip or plain). */
  encoding: ChunkEncoding
  /** The server's database. */
  db: DatabaseBackend
  /** API instances; more than one run on PostgreSQL behind nginx. */
  instances: number
}

export type DatabaseBackend = 'sqlite' | 'postgres'

export type Phase = 'steady' | 'restart'
export type ChunkEncoding = 'signatures' | 'gzip' | 'plain'

export const DEFAULT_OPTIONS: LoadTestOptions = {
  offices: 8,
  ticketsPerOffice: 100_000,
  inFlight: 4,
  phases: ['steady', 'restart'],
  restartAt: 0.5,
  encoding: 'signatures',
  db: 'sqlite',
  instances: 1,
}

export const USAGE = `usage: pnpm loadtest [options]
  --offices N       box offices uploading at once, each its own account and batch (default 8)
  --tickets N       tickets in each office's batch, 1…1000000 (default 100000)
  --in-flight N     chunk requests in flight per office, 1…64 (default 4)
  --restart         only the phase with a server restart (SIGKILL, then start again)
  --no-restart      only the phase without a restart (default: both, one after the other)
  --restart-at F    share of all tickets acknowledged when the server is killed, 0…1 (default 0.5)
  --gzip            gzip JSON chunk bodies instead of signatures alone (what the browser sends)
  --plain           plain JSON chunk bodies instead of signatures alone
  --db sqlite|postgres  the server's database (default sqlite); PostgreSQL is the server named by
                    BOXOFFICE_TEST_DATABASE_URL, or a throwaway cluster started for the run
  --instances N     API instances, 1…16 (default 1); more than one need --db postgres and run
                    behind nginx (deploy/nginx/boxoffice.conf), and the restart kills one of them`

export class UsageError extends Error {}

export function parseLoadTestArguments(args: readonly string[]): LoadTestOptions {
  const options: LoadTestOptions = { ...DEFAULT_OPTIONS }
  const integer = (name: string, value: string | undefined, min: number, max: number) => {
    const number = Number(value)
    if (value === undefined || !/^\d+$/.test(value) || number < min || number > max) {
      throw new UsageError(`${name} takes an integer from ${min} to ${max}; got ${value ?? 'nothing'}`)
    }
    return number
  }
  for (let i = 0; i < args.length; i++) {
    // `--name=value` and `--name value` alike.
    const [name, inline] = args[i]!.split(/=(.*)/s, 2) as [string, string | undefined]
    const value = () => inline ?? args[++i]
    switch (name) {
      case '--offices':
        options.offices = integer(name, value(), 1, 64)
        break
      case '--tickets':
        options.ticketsPerOffice = integer(name, value(), 1, 1_000_000)
        break
      case '--in-flight':
        options.inFlight = integer(name, value(), 1, 64)
        break
      case '--restart':
        options.phases = ['restart']
        break
      case '--no-restart':
        options.phases = ['steady']
        break
      case '--restart-at': {
        const text = value()
        const share = Number(text)
        if (text === undefined || !/^(0|1|0?\.\d+)$/.test(text) || share < 0 || share > 1)
          throw new UsageError(`--restart-at takes a number from 0 to 1; got ${text ?? 'nothing'}`)
        options.restartAt = share
        break
      }
      case '--plain':
      case '--gzip':
        options.encoding = args[i]!.slice(2) as ChunkEncoding
        break
      case '--db': {
        const db = value()
        if (db !== 'sqlite' && db !== 'postgres') throw new UsageError(`--db takes sqlite or postgres; got ${db ?? 'nothing'}`)
        options.db = db
        break
      }
      case '--instances':
        options.instances = integer(name, value(), 1, 16)
        break
      case '--help':
      case '-h':
        throw new UsageError('')
      default:
        throw new UsageError(`unknown option ${args[i]}`)
    }
  }
  if (options.instances > 1 && options.db !== 'postgres')
    throw new UsageError('--instances above 1 needs --db postgres: SQLite is one process on one file')
  return options
}
