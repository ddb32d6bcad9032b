// `pnpm loadtest [options]`: eight box offices upload 100,000-ticket batches at once against the
// real server over loopback, first undisturbed, then with the server killed and restarted
// half-way. Prints a table per phase and a summary; exits 1 unless every batch ends exact.
import { availableParallelism, loadavg } from 'node:os'
import { runLoadTest } from './load-test.ts'
import { parseLoadTestArguments, USAGE, UsageError, type LoadTestOptions } from './options.ts'
import { describeRun, formatPhase, formatSummary } from './report.ts'

let options: LoadTestOptions
try {
  options = parseLoadTestArguments(process.argv.slice(2))
} catch (error) {
  if (!(error instanceof UsageError)) throw error
  if (error.message) console.error(`loadtest: ${error.message}\n`)
  console.error(USAGE)
  process.exit(error.message ? 2 : 0)
}

const log = (line: string) => process.stderr.write(`${line}\n`)
log(`${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(2)} before the run`)
const { results, signing } = await runLoadTest(options, { log })
console.log(`\n${describeRun(options, signing)}\n`)
for (const result of results) console.log(`${formatPhase(result)}\n`)
console.log(`summary:\n\n${formatSummary(results)}`)
process.exit(results.every((result) => result.exact) ? 0 : 1)
