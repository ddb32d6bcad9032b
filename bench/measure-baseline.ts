import { resolve } from 'node:path'
import { build } from 'esbuild'
import type { ApiProcess } from '@boxoffice/testkit/api-process'
import { BrowserSession, ResourceSampler, pollUntil } from './browser-session.ts'
import { CpuAccounting, cpuPerTicket } from './cpu-accounting.ts'
import type { RunFigures } from './figures.ts'
import type { Scenario } from './scenarios.ts'
import { serverBatchState, type ServerAccess } from './server-access.ts'

let bundle: Promise<string> | undefined

/** The baseline's source, bundled for the page as the old version shipped it: one main-thread script. */
function baselineBundle(): Promise<string> {
  bundle ??= build({
    entryPoints: [resolve(import.meta.dirname, 'baseline/page-entry.ts')],
    bundle: true,
    format: 'iife',
    write: false,
    target: 'es2022',
  }).then((result) => result.outputFiles[0]!.text)
  return bundle
}

interface BaselineWindow {
  baselineState: { batchId?: string; result?: { failed?: string; ticketsKept: number } }
}

export async function runBaseline(api: ApiProcess, access: ServerAccess, scenario: Scenario): Promise<RunFigures & { batchId: string }> {
  // The baseline is injected into the page, which the app's Content-Security-Policy would refuse.
  const session = await BrowserSession.open(api.baseURL, { bypassCSP: true })
  try {
    const { probe } = session
    await access.signInPage(session)
    if (scenario.network) await probe.emulateNetwork(scenario.network)
    await session.evaluate(
      (source) => {
        const script = document.createElement('script')
        script.textContent = source
        document.head.append(script)
      },
      await baselineBundle(),
    )
    await session.evaluate(
      ({ quantity, headers }) => {
        const button = document.createElement('button')
        button.id = 'baseline-start'
        button.textContent = 'Run baseline'
        button.dataset.quantity = String(quantity)
        button.dataset.headers = JSON.stringify(headers)
        // Fixed in view: the click is a real mouse click at the button's place, and the batch list
        // above it grows with every run.
        button.style.cssText = 'position: fixed; top: 0; left: 0; z-index: 2147483647'
        document.body.append(button)
      },
      { quantity: scenario.quantity, headers: access.pageHeaders },
    )
    await probe.collectGarbage()
    const pageStart = await probe.pageHeap()
    const sampler = new ResourceSampler(session, { worker: false })
    sampler.start()
    const cpu = new CpuAccounting(api.pid, session.profileDir)
    cpu.start()
    const clickedAt = await session.now()
    const started = performance.now()
    await session.click('Run baseline')
    const batchId = await pollUntil(
      async () => {
        const { batchId, result } = await session.evaluate(() => (window as unknown as BaselineWindow).baselineState)
        if (result?.failed) throw new Error(`baseline failed before its batch was created: ${result.failed}`)
        return batchId
      },
      { timeoutMs: 30_000, what: 'baseline batch id' },
    )
    await pollUntil(
      async () => {
        const failed = await session.evaluate(() => (window as unknown as BaselineWindow).baselineState.result?.failed)
        if (failed) throw new Error(`baseline failed: ${failed}`)
        return (await serverBatchState(api, access, batchId)) === 'completed' ? true : undefined
      },
      { timeoutMs: 60 * 60_000, what: 'baseline batch to complete', intervalMs: 100 },
    )
    const seconds = (performance.now() - started) / 1000
    const cpuUsed = cpu.stop()
    await sampler.stop()
    const longTasks = await session.longTasksSince(clickedAt)
    const pageEnd = await probe.pageHeap() // before GC: the old version still holds every ticket here
    return {
      batchId,
      implementation: 'baseline',
      scenario: scenario.id,
      quantity: scenario.quantity,
      endToEndSeconds: seconds,
      endToEndRate: scenario.quantity / seconds,
      pageHeap: { start: pageStart, peak: Math.max(sampler.peakPageHeap, pageStart), end: pageEnd },
      heapGrowth: Math.max(0, sampler.peakPageHeap - pageStart),
      storagePeakBytes: sampler.peakStorage,
      longTasks: { count: longTasks.length, maxMs: Math.max(0, ...longTasks.map((task) => task.duration)) },
      cpuMicrosPerTicket: cpuPerTicket(cpuUsed, scenario.quantity),
    }
  } finally {
    await session.close()
  }
}
