// Runs every *.test.ts outside node_modules with Node's test runner (TypeScript through tsx; the
// web's *.svelte.ts state classes through Svelte's compiler, see svelte-runes-hooks.mjs).
// Node 20's --test takes no globs, so the files are listed here. Arguments filter by path.
//
// With BOXOFFICE_TEST_BACKEND=postgres it runs the API route tests again, on PostgreSQL: every
// file under api/test/ except those written for one backend (named *sqlite* or *postgres*), which
// already ran in the first pass. Each pass writes its own TAP file for run-all-tests.ts.
import { spawnSync } from 'node:child_process'
import { mkdirSync, readdirSync } from 'node:fs'
import { basename, join } from 'node:path'

const onPostgres = process.env.BOXOFFICE_TEST_BACKEND === 'postgres'
const roots = onPostgres ? ['api/test'] : ['packages', 'api', 'web/src', 'bench', 'loadtest']
const files = []
function walk(dir) {
  let entries
  try {
    entries = readdirSync(dir, { withFileTypes: true })
  } catch {
    return
  }
  for (const entry of entries) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue
    const path = join(dir, entry.name)
    if (entry.isDirectory()) walk(path)
    else if (entry.name.endsWith('.test.ts')) files.push(path)
  }
}
roots.forEach(walk)
const parameterised = (file) => !/sqlite|postgres/.test(basename(file))
const candidates = onPostgres ? files.filter(parameterised) : files
const filter = process.argv.slice(2)
const selected = filter.length ? candidates.filter((file) => filter.some((part) => file.includes(part))) : candidates
// Two files at a time: Node's default is one fewer than the cores (one, here), and many files spend
// their time waiting on PostgreSQL or on servers in child processes. On 2 cores this took the
// SQLite pass from 404 to 315 s, and the PostgreSQL one (with the fuzz reading its marker once a
// request) from 467 to 249 s. Every file has its own databases, folders and ports, so files may
// run side by side.
// Spec output for people; TAP into a file so run-all-tests.ts can add the counts up.
mkdirSync('reports', { recursive: true })
const tap = onPostgres ? 'reports/unit-postgres.tap' : 'reports/unit.tap'
const reporters = [
  '--test-reporter=spec',
  '--test-reporter-destination=stdout',
  '--test-reporter=tap',
  `--test-reporter-destination=${tap}`,
]
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--import', './scripts/svelte-runes.mjs', '--test', '--test-concurrency=2', ...reporters, ...selected.sort()],
  { stdio: 'inherit' },
)
process.exit(result.status ?? 1)
