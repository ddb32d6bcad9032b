// `pnpm exec tsx bench/profile.ts [--quantity N]`: one end-to-end run on loopback (after `pnpm build`)
// with V8's CPU profiler on the page, the ticket worker and the API's main thread. Prints the
// functions with the most self time in each and writes the .cpuprofile files (open them in
// Chrome DevTools) to bench/results/.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { ApiProcess } from '@boxoffice/testkit/api-process'
import { BrowserSession, pollUntil } from './browser-session.ts'
import { formatSelfTimes, type CpuProfile } from './cpu-profile-summary.ts'
import { fillAndClickGenerate, batchIdOf } from './measure-boxoffice.ts'
import { serverBatchState, setUpAccess } from './server-access.ts'

const { values } = parseArgs({ options: { quantity: { type: 'string', default: '50000' }, top: { type: 'string', default: '25' } } })
const quantity = Number(values.quantity)
const top = Number(values.top)
const resultsDir = resolve(import.meta.dirname, 'results')
mkdirSync(resultsDir, { recursive: true })
const stamp = new Date().toISOString().replaceAll(':', '-').replace(/\..+/, '')
const serverProfileDir = mkdtempSync(join(tmpdir(), 'boxoffice-api-profile-'))

const api = new ApiProcess({ nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${serverProfileDir}`, '--cpu-prof-interval=200'] })
await api.start()
const access = await setUpAccess(api)
const session = await BrowserSession.open(api.baseURL)
try {
  await access.signInPage(session)
  await session.probe.waitForWorker()
  await session.probe.startProfiling()
  const started = performance.now()
  await fillAndClickGenerate(session, quantity)
  const batchId = await batchIdOf(session)
  await pollUntil(async () => ((await serverBatchState(api, access, batchId)) === 'completed' ? true : undefined), {
    timeoutMs: 30 * 60_000,
    what: 'the batch to complete',
  })
  const seconds = (performance.now() - started) / 1000
  const { page, workers } = await session.probe.stopProfiling()
  console.log(
    `${quantity.toLocaleString('en-US')} tickets in ${seconds.toFixed(1)} s (${Math.round(quantity / seconds)} tickets/s, profilers on)\n`,
  )
  console.log(formatSelfTimes('page main thread', page, top) + '\n')
  writeFileSync(join(resultsDir, `${stamp}-page.cpuprofile`), JSON.stringify(page))
  workers.forEach((profile, i) => {
    console.log(formatSelfTimes(`worker ${i + 1}`, profile, top) + '\n')
    writeFileSync(join(resultsDir, `${stamp}-worker-${i + 1}.cpuprofile`), JSON.stringify(profile))
  })
} finally {
  await session.close()
  await api.dispose() // SIGTERM: the API exits cleanly and writes its profile
}
for (const file of readdirSync(serverProfileDir)) {
  const profile = JSON.parse(readFileSync(join(serverProfileDir, file), 'utf8')) as CpuProfile
  console.log(formatSelfTimes(`API main thread (${file})`, profile, top) + '\n')
  writeFileSync(join(resultsDir, `${stamp}-api-${file}`), JSON.stringify(profile))
}
console.log(`profiles: ${resultsDir}/${stamp}-*.cpuprofile`)
