// Runs every *.test.ts outside node_modules with Node's test runner (TypeScript through tsx; the
// web's *.svelte.ts state classes through Svelte's compiler, see svelte-runes-hooks.mjs).
// Node 20's --test takes no globs, so the files are listed here.
import { spawnSync } from 'node:child_process'
import { mkdirSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

const roots = ['packages', 'api', 'web/src', 'bench', 'loadtest']
const files = []
function walk(dir) {
  let entries
  try { entries = readdirSync(dir, { withFileTypes: true }) } catch { return }
  for (const entry of entries) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue
    const path = join(dir, entry.name)
    if (entry.isDirectory()) walk(path)
    else if (entry.name.endsWith('.test.ts')) files.push(path)
  }
}
roots.forEach(walk)
const filter = process.argv.slice(2)
const selected = filter.length ? files.filter((file) => filter.some((part) => file.includes(part))) : files
// Spec output for people; TAP into a file so run-all-tests.mjs can add the counts up.
mkdirSync('reports', { recursive: true })
const reporters = ['--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', '--test-reporter-destination=reports/unit.tap']
const result = spawnSync(process.execPath, ['--import', 'tsx', '--import', './scripts/svelte-runes.mjs', '--test', ...reporters, ...selected.sort()], { stdio: 'inherit' })
process.exit(result.status ?? 1)
