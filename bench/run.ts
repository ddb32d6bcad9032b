// `pnpm bench [--huge] [--runs N] [--baseline-runs N] [--only SCENARIO] [--skip-exports] [--db sqlite|postgres]`:
// the real built app in Debian's Chromium against the real API on loopback, each scenario on a
// fresh database (a temporary SQLite file, or a PostgreSQL database: BOXOFFICE_TEST_DATABASE_URL's
// server or a throwaway cluster with PostgreSQL's default durability). Prints a table and writes
// bench/results/<time>-<scenario>.json. See README.md, "Performance".
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { ApiProcess } from '@boxoffice/testkit/api-process'
import { FreshDatabases } from '@boxoffice/testkit/fresh-databases'
import { inspectServerTickets } from '@boxoffice/testkit/server-tickets'
import { median, medianRun, type CpuFigures, type RunFigures } from './figures.ts'
import { runBaseline } from './measure-baseline.ts'
import { runBoxoffice, runStages } from './measure-boxoffice.ts'
import { describeExports, measureExports, type ExportFigures } from './measure-export.ts'
import { prepareSignedBatch, uploadPrepared } from '@boxoffice/testkit/signed-batch'
import { measureWire } from './measure-wire.ts'
import { formatTable, type ScenarioResult } from './report.ts'
import { HUGE_SCENARIO, SCENARIOS, type Scenario } from './scenarios.ts'
import { setUpAccess } from './server-access.ts'

const { values } = parseArgs({
  options: {
    huge: { type: 'boolean', default: false },
    runs: { type: 'string', default: '3' },
    'baseline-runs': { type: 'string' },
    only: { type: 'string' },
    /** Leave out the CSV and PDF export timing of the 100,000-ticket scenario (about 2 minutes). */
    'skip-exports': { type: 'boolean', default: false },
    db: { type: 'string', default: 'sqlite' },
  },
})
if (values.db !== 'sqlite' && values.db !== 'postgres') {
  console.error(`bench: --db takes sqlite or postgres; got ${values.db}`)
  process.exit(2)
}
const databases = new FreshDatabases(values.db, { settings: { fsync: 'on' } })
const runs = Number(values.runs)
const scenarios = [...SCENARIOS, ...(values.huge ? [HUGE_SCENARIO] : [])].filter((scenario) => !values.only || scenario.id === values.only)
const resultsDir = resolve(import.meta.dirname, 'results')
mkdirSync(resultsDir, { recursive: true })
const stamp = new Date().toISOString().replaceAll(':', '-').replace(/\..+/, '')

function log(message: string) {
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`)
}

/** The server must hold exactly the batch: every serial once, every token verifying (counted only at 1M). */
async function assertExact(api: ApiProcess, batchId: string, scenario: Scenario) {
  if (scenario.quantity > 200_000) return
  const report = await inspectServerTickets(api.database, batchId, scenario.quantity)
  if (report.count !== scenario.quantity || report.missingSerials !== 0 || report.badTokens !== 0) {
    throw new Error(`server state not exact for ${batchId}: ${JSON.stringify(report)}`)
  }
}

function describeCpu(cpu: CpuFigures): string {
  const kinds = Object.entries(cpu.browserByKind).map(([kind, micros]) => `${kind} ${Math.round(micros)}`)
  return `server ${Math.round(cpu.server)}, browser ${Math.round(cpu.browser)} (${kinds.join(', ')})`
}

async function runScenario(scenario: Scenario): Promise<ScenarioResult> {
  const api = new ApiProcess({ database: await databases.next() })
  await api.start()
  try {
    const access = await setUpAccess(api)
    const ours: (RunFigures & { batchId: string })[] = []
    for (let run = 1; run <= runs; run++) {
      const figures = await runBoxoffice(api, access, scenario)
      await assertExact(api, figures.batchId, scenario)
      log(
        `${scenario.id} boxoffice run ${run}: ${Math.round(figures.endToEndRate)} tickets/s; CPU µs/ticket ${describeCpu(figures.cpuMicrosPerTicket)}`,
      )
      ours.push(figures)
    }
    const stages = await runStages(api, access, scenario)
    await assertExact(api, stages.batchId, scenario)
    const ingestBatch = await prepareSignedBatch(Math.min(scenario.quantity, 50_000))
    const serverIngestRate = await uploadPrepared(api.baseURL, access.headers, ingestBatch, 4)
    log(
      `${scenario.id} stages: generate+stage ${Math.round(stages.generateStageRate)}/s, drain ${Math.round(stages.drainRate)}/s, server ${Math.round(serverIngestRate)}/s`,
    )
    log(
      `${scenario.id} stage CPU µs/ticket: generate+stage ${describeCpu(stages.generateCpuMicrosPerTicket)}; drain ${describeCpu(stages.drainCpuMicrosPerTicket)}`,
    )

    const baselineRuns = Number(values['baseline-runs'] ?? (scenario.quantity > 10_000 ? 1 : runs))
    const baseline: RunFigures[] = []
    if (scenario.baseline) {
      for (let run = 1; run <= baselineRuns; run++) {
        const figures = await runBaseline(api, access, scenario)
        await assertExact(api, figures.batchId, scenario)
        log(
          `${scenario.id} baseline run ${run}: ${Math.round(figures.endToEndRate)} tickets/s; CPU µs/ticket ${describeCpu(figures.cpuMicrosPerTicket)}`,
        )
        baseline.push(figures)
      }
    }
    let exports: ExportFigures | undefined
    if (scenario.exports && !values['skip-exports']) {
      log(`${scenario.id} exports: CSV and every PDF part of batch ${ours[0]!.batchId}`)
      exports = await measureExports(
        { baseURL: api.baseURL, pid: api.pid! },
        access.headers,
        { id: ours[0]!.batchId, quantity: scenario.quantity },
        ['single', 'a4-8'],
      )
      for (const line of describeExports(exports)) log(`${scenario.id} ${line}`)
    }
    const wire = await measureWire(api, access, scenario.network)
    const boxoffice = medianRun(ours)
    const baselineMedian = baseline.length ? medianRun(baseline) : undefined
    const result: ScenarioResult = {
      scenario: scenario.id,
      quantity: scenario.quantity,
      network: scenario.network?.name ?? 'loopback',
      runs,
      boxoffice,
      boxofficeRates: ours.map((run) => run.endToEndRate),
      stages: { ...stages, serverIngestRate },
      baseline: baselineMedian,
      baselineRates: baseline.map((run) => run.endToEndRate),
      ratio: baselineMedian ? median(ours.map((run) => run.endToEndRate)) / median(baseline.map((run) => run.endToEndRate)) : undefined,
      wire,
      exports,
    }
    const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version, database: databases.describe() }
    writeFileSync(
      resolve(resultsDir, `${stamp}-${scenario.id}.json`),
      JSON.stringify({ ...result, machine, all: { ours, baseline } }, null, 2),
    )
    return result
  } finally {
    await api.dispose()
  }
}

const results: ScenarioResult[] = []
try {
  for (const scenario of scenarios) {
    log(`scenario ${scenario.id}: ${scenario.quantity.toLocaleString('en-US')} tickets, ${scenario.network?.name ?? 'loopback'}`)
    results.push(await runScenario(scenario))
  }
} finally {
  await databases.dispose()
}
console.log(
  `\nBoxoffice benchmark, ${cpus().length} cores (${cpus()[0]?.model}), medians of ${runs} runs, server on ${databases.describe()}\n`,
)
console.log(formatTable(results))
for (const result of results) {
  if (!result.exports) continue
  console.log(
    `\nExports of a ${result.quantity.toLocaleString('en-US')}-ticket batch (${result.scenario}), server RSS before: ${result.exports.idleRssMb.toFixed(0)} MB`,
  )
  for (const line of describeExports(result.exports)) console.log(`  ${line}`)
}
console.log(`\nJSON: ${resultsDir}/${stamp}-*.json`)
