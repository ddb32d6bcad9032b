// Runs every suite and prints one closing line for all: "tests: N passed, N failed, N skipped",
// exiting non-zero if any suite failed:
//   1. unit and API tests (node:test), the API on SQLite;
//   2. the API route tests again, on PostgreSQL;
//   3. the end-to-end suite (Playwright), which also drives PostgreSQL behind nginx.
// PostgreSQL is BOXOFFICE_TEST_DATABASE_URL if set (a server on which the tests may create and drop
// databases); otherwise a throwaway cluster started here, in a temporary folder, and removed after.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { ThrowawayPostgres } from '@boxoffice/testkit/throwaway-postgres'
import { TEST_DATABASE_URL_VARIABLE } from '@boxoffice/testkit/test-database'

const REPORTS = { unit: 'reports/unit.tap', unitPostgres: 'reports/unit-postgres.tap', e2e: 'reports/e2e.json' }
for (const report of Object.values(REPORTS)) rmSync(report, { force: true })

let throwaway: ThrowawayPostgres | undefined
if (!process.env[TEST_DATABASE_URL_VARIABLE]) {
  throwaway = await ThrowawayPostgres.start()
  process.env[TEST_DATABASE_URL_VARIABLE] = throwaway.url
  console.log(`PostgreSQL for the tests: a throwaway cluster on port ${throwaway.port} (${throwaway.directory})`)
}

const run = (command: string, args: string[], env: Record<string, string> = {}) =>
  spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } }).status === 0

// `--unit`: the node:test passes only (pnpm test:unit).
const unitOnly = process.argv.includes('--unit')
let ok = true
try {
  ok = run(process.execPath, ['scripts/run-unit-tests.mjs']) && ok
  console.log('\nThe API route tests again, on PostgreSQL:\n')
  ok = run(process.execPath, ['scripts/run-unit-tests.mjs'], { BOXOFFICE_TEST_BACKEND: 'postgres' }) && ok
  if (!unitOnly) ok = run('pnpm', ['exec', 'playwright', 'test']) && ok
} finally {
  await throwaway?.dispose()
}

let passed = 0
let failed = 0
let skipped = 0
for (const tapFile of [REPORTS.unit, REPORTS.unitPostgres]) {
  if (!existsSync(tapFile)) continue
  const tap = readFileSync(tapFile, 'utf8')
  const count = (name: string) => Number(tap.match(new RegExp(`^# ${name} (\\d+)$`, 'm'))?.[1] ?? 0)
  passed += count('pass')
  failed += count('fail') + count('cancelled')
  skipped += count('skipped') + count('todo')
}
if (existsSync(REPORTS.e2e)) {
  const { stats } = JSON.parse(readFileSync(REPORTS.e2e, 'utf8'))
  passed += stats.expected + stats.flaky
  failed += stats.unexpected
  skipped += stats.skipped
}
if (!ok && failed === 0) failed = 1 // a suite that crashed before reporting still fails the run
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`)
process.exit(ok ? 0 : 1)
