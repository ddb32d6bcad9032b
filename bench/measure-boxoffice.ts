import type { ApiProcess } from '@boxoffice/testkit/api-process'
import { BrowserSession, ResourceSampler, pollUntil } from './browser-session.ts'
import { CpuAccounting, cpuPerTicket } from './cpu-accounting.ts'
import type { RunFigures, StageFigures } from './figures.ts'
import type { Scenario } from './scenarios.ts'
import { serverBatchState, type ServerAccess } from './server-access.ts'

const TIMEOUT_MS = 60 * 60_000

export async function fillAndClickGenerate(session: BrowserSession, quantity: number) {
  await session.fill('Event', 'Benchmark night')
  await session.fill('Ticket type', 'General admission')
  await session.fill('Price', '25.00')
  await session.fill('Quantity', String(quantity))
  await session.click('Generate tickets')
  if (quantity > 5_000) await session.click('Continue', { inDialog: true })
}

export async function batchIdOf(session: BrowserSession): Promise<string> {
  return session.waitFor(() => document.querySelector<HTMLElement>('section[data-batch-id]')?.dataset.batchId)
}

async function generatedCount(session: BrowserSession): Promise<number> {
  return session.evaluate(() =>
    Number(document.querySelector('[role=progressbar][aria-labelledby="progress-Generated"]')?.getAttribute('aria-valuenow') ?? 0),
  )
}

async function openApp(api: ApiProcess, access: ServerAccess, scenario: Scenario): Promise<BrowserSession> {
  const session = await BrowserSession.open(api.baseURL)
  await access.signInPage(session)
  await session.probe.waitForWorker()
  if (scenario.network) await session.probe.emulateNetwork(scenario.network)
  return session
}

/** One end-to-end run: click, generate, stage, upload, complete on the server. */
export async function runBoxoffice(api: ApiProcess, access: ServerAccess, scenario: Scenario): Promise<RunFigures & { batchId: string }> {
  const session = await openApp(api, access, scenario)
  try {
    const { probe } = session
    await probe.collectGarbage()
    const pageStart = await probe.pageHeap()
    const workerStart = await probe.workerHeap()
    const sampler = new ResourceSampler(session, { worker: true })
    sampler.start()
    const cpu = new CpuAccounting(api.pid, session.profileDir)
    cpu.start()
    const clickedAt = await session.now()
    const started = performance.now()
    await fillAndClickGenerate(session, scenario.quantity)
    const batchId = await batchIdOf(session)
    let generatedAt: number | undefined
    await pollUntil(
      async () => {
        if (generatedAt === undefined && (await generatedCount(session)) >= scenario.quantity) generatedAt = await session.now()
        const state = await serverBatchState(api, access, batchId)
        return state === 'completed' ? true : undefined
      },
      { timeoutMs: TIMEOUT_MS, what: `batch ${batchId} to complete`, intervalMs: 100 },
    )
    const seconds = (performance.now() - started) / 1000
    const cpuUsed = cpu.stop()
    await sampler.stop()
    generatedAt ??= await session.now()
    const longTasks = await session.longTasksSince(clickedAt, generatedAt)
    await probe.collectGarbage()
    const pageEnd = await probe.pageHeap()
    const workerEnd = await probe.workerHeap()
    return {
      batchId,
      implementation: 'boxoffice',
      scenario: scenario.id,
      quantity: scenario.quantity,
      endToEndSeconds: seconds,
      endToEndRate: scenario.quantity / seconds,
      pageHeap: { start: pageStart, peak: Math.max(sampler.peakPageHeap, pageStart), end: pageEnd },
      workerHeap: { start: workerStart, peak: Math.max(sampler.peakWorkerHeap, workerStart), end: workerEnd },
      heapGrowth: Math.max(0, sampler.peakCombinedHeap - (pageStart + workerStart)),
      storagePeakBytes: sampler.peakStorage,
      longTasks: { count: longTasks.length, maxMs: Math.max(0, ...longTasks.map((task) => task.duration)) },
      cpuMicrosPerTicket: cpuPerTicket(cpuUsed, scenario.quantity),
    }
  } finally {
    await session.close()
  }
}

/**
 * Stage rates in isolation: generate and stage with the browser offline (nothing uploads), then
 * go online and time the drain of what was staged.
 */
export async function runStages(
  api: ApiProcess,
  access: ServerAccess,
  scenario: Scenario,
): Promise<Omit<StageFigures, 'serverIngestRate'> & { batchId: string }> {
  const session = await openApp(api, access, scenario)
  try {
    await session.setOffline(true)
    const generateCpu = new CpuAccounting(api.pid, session.profileDir)
    generateCpu.start()
    const started = performance.now()
    await fillAndClickGenerate(session, scenario.quantity)
    const batchId = await batchIdOf(session)
    await pollUntil(async () => ((await generatedCount(session)) >= scenario.quantity ? true : undefined), {
      timeoutMs: TIMEOUT_MS,
      what: 'generation',
      intervalMs: 50,
    })
    const generateSeconds = (performance.now() - started) / 1000
    const generateCpuUsed = generateCpu.stop()
    const drainCpu = new CpuAccounting(api.pid, session.profileDir)
    drainCpu.start()
    const drainStarted = performance.now()
    await session.setOffline(false)
    if (scenario.network) await session.probe.emulateNetwork(scenario.network)
    await pollUntil(async () => ((await serverBatchState(api, access, batchId)) === 'completed' ? true : undefined), {
      timeoutMs: TIMEOUT_MS,
      what: 'drain',
      intervalMs: 100,
    })
    const drainSeconds = (performance.now() - drainStarted) / 1000
    return {
      batchId,
      generateStageRate: scenario.quantity / generateSeconds,
      drainRate: scenario.quantity / drainSeconds,
      generateCpuMicrosPerTicket: cpuPerTicket(generateCpuUsed, scenario.quantity),
      drainCpuMicrosPerTicket: cpuPerTicket(drainCpu.stop(), scenario.quantity),
    }
  } finally {
    await session.close()
  }
}
