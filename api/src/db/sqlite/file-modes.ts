// The database holds every ticket's entry token and the staff's password hashes: only the user the
// server runs as may read it. SQLite creates a new file as 0644 (less the umask) and gives its
// -wal and -shm the mode of the database file, so the file is made 0600 before SQLite opens it.
import { closeSync, mkdirSync, openSync, statSync } from 'node:fs'
import { dirname } from 'node:path'

const PRIVATE_FOLDER = 0o700
const PRIVATE_FILE = 0o600
/** Any access for group or others. */
const SHARED_BITS = 0o077
/** The sticky bit marks a folder shared on purpose (/tmp): advising chmod 700 there would break it. */
const STICKY = 0o1000

const octal = (mode: number) => (mode & 0o777).toString(8).padStart(4, '0')

/**
 * Makes the folder (0700, with any missing parents) and an empty database file (0600, which
 * SQLite takes as a new database) when they do not exist. Existing ones are left as they are;
 * each that other users may access is returned as a warning for the start-up log, saying how to fix it.
 */
export function prepareDatabaseFiles(path: string): string[] {
  const folder = dirname(path)
  mkdirSync(folder, { recursive: true, mode: PRIVATE_FOLDER })
  try {
    // 'wx' fails if the file exists, so an existing database is never truncated.
    closeSync(openSync(path, 'wx', PRIVATE_FILE))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }

  const warnings: string[] = []
  const folderMode = statSync(folder).mode
  if (folderMode & SHARED_BITS && !(folderMode & STICKY)) {
    warnings.push(`database folder ${folder} has mode ${octal(folderMode)}: other users can list it; fix with: chmod 700 ${folder}`)
  }
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    const mode = modeOf(file)
    if (mode !== undefined && mode & SHARED_BITS) {
      warnings.push(`database file ${file} has mode ${octal(mode)}: other users can read it; fix with: chmod 600 ${file}`)
    }
  }
  return warnings
}

function modeOf(file: string): number | undefined {
  try {
    return statSync(file).mode
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}
