import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from '@playwright/test'
import { CdpProbe } from './cdp-probe.ts'

const CHROMIUM = process.env.BOXOFFICE_CHROMIUM ?? '/usr/bin/chromium'

export interface LongTask {
  start: number
  duration: number
}

/**
 * A real Chromium profile on disk (a persistent context), because incognito IndexedDB lives in
 * memory and runs up to twice as fast as the disk-backed one users have.
 */
export class BrowserSession {
  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    readonly probe: CdpProbe,
    readonly profileDir: string,
  ) {}

  static async open(baseURL: string, options: { bypassCSP?: boolean } = {}): Promise<BrowserSession> {
    const profileDir = mkdtempSync(join(tmpdir(), 'boxoffice-bench-profile-'))
    const context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      baseURL,
      bypassCSP: options.bypassCSP ?? false,
      args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-gpu'],
    })
    await context.addInitScript(() => {
      const w = window as unknown as { benchLongTasks: { start: number; duration: number }[] }
      w.benchLongTasks = []
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) w.benchLongTasks.push({ start: entry.startTime, duration: entry.duration })
      }).observe({ type: 'longtask', buffered: true })
    })
    const page = context.pages()[0] ?? (await context.newPage())
    const probe = await CdpProbe.attach(page)
    return new BrowserSession(context, page, probe, profileDir)
  }

  async now(): Promise<number> {
    return this.page.evaluate(() => performance.now())
  }

  async longTasksSince(since: number, until = Infinity): Promise<LongTask[]> {
    return this.page.evaluate(
      ({ since, until }) =>
        (window as unknown as { benchLongTasks: { start: number; duration: number }[] }).benchLongTasks.filter((task) => task.start >= since && task.start <= until),
      { since, until },
    )
  }

  async storageUsage(): Promise<number> {
    return this.page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0)
  }

  async close(): Promise<void> {
    await this.probe.detach()
    await this.context.close()
    rmSync(this.profileDir, { recursive: true, force: true })
  }
}

/** Samples heaps and IndexedDB usage a few times a second and keeps the peaks. */
export class ResourceSampler {
  peakPageHeap = 0
  peakWorkerHeap = 0
  peakCombinedHeap = 0
  peakStorage = 0
  #timer: ReturnType<typeof setTimeout> | undefined
  #running = false
  #sampling: Promise<void> = Promise.resolve()

  constructor(
    private readonly session: BrowserSession,
    private readonly options: { worker: boolean; intervalMs?: number },
  ) {}

  start() {
    this.#running = true
    const tick = () => {
      if (!this.#running) return
      this.#sampling = this.sample().finally(() => {
        if (this.#running) this.#timer = setTimeout(tick, this.options.intervalMs ?? 250)
      })
    }
    tick()
  }

  async sample(): Promise<void> {
    try {
      const [pageHeap, workerHeap, storage] = await Promise.all([
        this.session.probe.pageHeap(),
        this.options.worker ? this.session.probe.workerHeap() : Promise.resolve(0),
        this.session.storageUsage(),
      ])
      this.peakPageHeap = Math.max(this.peakPageHeap, pageHeap)
      this.peakWorkerHeap = Math.max(this.peakWorkerHeap, workerHeap)
      this.peakCombinedHeap = Math.max(this.peakCombinedHeap, pageHeap + workerHeap)
      this.peakStorage = Math.max(this.peakStorage, storage)
    } catch {
      // a sample that races a navigation is simply skipped
    }
  }

  async stop(): Promise<void> {
    this.#running = false
    clearTimeout(this.#timer)
    await this.#sampling
  }
}

export async function pollUntil<T>(read: () => Promise<T | undefined>, options: { intervalMs?: number; timeoutMs: number; what: string }): Promise<T> {
  const deadline = Date.now() + options.timeoutMs
  for (;;) {
    const value = await read()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${options.what}`)
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100))
  }
}
