// Runs the unit/API suite and the end-to-end suite, then prints one closing line for both:
// "tests: N passed, N failed" (plus skipped), and exits non-zero if either suite failed.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'

rmSync('reports/unit.tap', { force: true })
rmSync('reports/e2e.json', { force: true })

const unit = spawnSync(process.execPath, ['scripts/run-unit-tests.mjs'], { stdio: 'inherit' })
const e2e = spawnSync('pnpm', ['exec', 'playwright', 'test'], { stdio: 'inherit' })

let passed = 0
let failed = 0
let skipped = 0
if (existsSync('reports/unit.tap')) {
  const tap = readFileSync('reports/unit.tap', 'utf8')
  const count = (name) => Number(tap.match(new RegExp(`^# ${name} (\\d+)$`, 'm'))?.[1] ?? 0)
  passed += count('pass')
  failed += count('fail') + count('cancelled')
  skipped += count('skipped') + count('todo')
}
if (existsSync('reports/e2e.json')) {
  const { stats } = JSON.parse(readFileSync('reports/e2e.json', 'utf8'))
  passed += stats.expected + stats.flaky
  failed += stats.unexpected
  skipped += stats.skipped
}
const ok = unit.status === 0 && e2e.status === 0
if (!ok && failed === 0) failed = 1 // a suite that crashed before reporting still fails the run
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`)
process.exit(ok ? 0 : 1)
