import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Readable, Writable } from 'node:stream'
import { CdpConnection } from './cdp-connection.ts'
import { CdpProbe } from './cdp-probe.ts'

const CHROMIUM = process.env.BOXOFFICE_CHROMIUM ?? '/usr/bin/chromium'

export interface LongTask {
  start: number
  duration: number
}

/** Records main-thread long tasks from the first script of every document. */
const LONG_TASK_RECORDER = `
  window.benchLongTasks = []
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.benchLongTasks.push({ start: entry.startTime, duration: entry.duration })
  }).observe({ type: 'longtask', buffered: true })
`

/**
 * Debian's Chromium on a real profile on disk (incognito IndexedDB lives in memory and runs up to
 * twice as fast as the disk-backed one users have), driven over the bare DevTools protocol rather
 * than Playwright: Playwright enables the Network domain on every page and worker, and reporting
 * each request to it cost the browser about 60–90 µs of CPU per ticket, which users do not pay.
 * Clicks are real input events, so the work they start runs in a normal page task and its long
 * tasks are seen.
 */
export class BrowserSession {
  private constructor(
    private readonly process: ChildProcess,
    private readonly connection: CdpConnection,
    private readonly pageSession: string,
    readonly probe: CdpProbe,
    readonly profileDir: string,
    readonly baseURL: string,
    private readonly ownsProfile: boolean,
  ) {}

  /** `profileDir`: reopen an existing profile (its IndexedDB and cookies), kept on close. */
  static async open(baseURL: string, options: { bypassCSP?: boolean; profileDir?: string } = {}): Promise<BrowserSession> {
    const profileDir = options.profileDir ?? mkdtempSync(join(tmpdir(), 'boxoffice-bench-profile-'))
    const child = spawn(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        // The machine has no network beyond loopback: keep Chromium from calling home.
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        // As Playwright launches it: no extensions, default apps or background throttling of the page.
        '--disable-extensions',
        '--disable-component-extensions-with-background-pages',
        '--disable-default-apps',
        '--disable-background-timer-throttling',
        '--disable-backgrounding-occluded-windows',
        '--disable-renderer-backgrounding',
        '--mute-audio',
        '--hide-scrollbars',
        '--window-size=1280,900',
        `--user-data-dir=${profileDir}`,
        '--remote-debugging-pipe',
        'about:blank',
      ],
      { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] },
    )
    const connection = new CdpConnection(child.stdio[3] as Writable, child.stdio[4] as Readable)
    const { targetInfos } = await connection.send<{ targetInfos: { targetId: string; type: string }[] }>('Target.getTargets')
    const page = targetInfos.find((target) => target.type === 'page')
    if (!page) throw new Error('Chromium opened no page')
    const { sessionId } = await connection.send<{ sessionId: string }>('Target.attachToTarget', { targetId: page.targetId, flatten: true })
    await connection.send('Page.enable', {}, sessionId)
    await connection.send('Page.addScriptToEvaluateOnNewDocument', { source: LONG_TASK_RECORDER }, sessionId)
    if (options.bypassCSP) await connection.send('Page.setBypassCSP', { enabled: true }, sessionId)
    const probe = await CdpProbe.attach(connection, sessionId)
    return new BrowserSession(child, connection, sessionId, probe, profileDir, baseURL, options.profileDir === undefined)
  }

  /** Navigates to a path of the app and waits for the load event. */
  async goto(path: string): Promise<void> {
    const loaded = this.connection.waitFor('Page.loadEventFired', (_params, sessionId) => sessionId === this.pageSession)
    await this.connection.send('Page.navigate', { url: new URL(path, this.baseURL).href }, this.pageSession)
    await loaded
  }

  /** Runs `fn(arg)` in the page and returns its (JSON) result. */
  async evaluate<T, A = undefined>(fn: (arg: A) => T | Promise<T>, arg?: A): Promise<T> {
    const { result, exceptionDetails } = await this.connection.send(
      'Runtime.evaluate',
      { expression: `(${fn.toString()})(${JSON.stringify(arg)})`, awaitPromise: true, returnByValue: true },
      this.pageSession,
    )
    if (exceptionDetails) throw new Error(`in the page: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`)
    return result.value as T
  }

  /** Waits until `fn(arg)` in the page returns something other than null or undefined. */
  async waitFor<T, A = undefined>(fn: (arg: A) => T | null | undefined, arg?: A, timeoutMs = 30_000): Promise<T> {
    return pollUntil(async () => (await this.evaluate(fn, arg)) ?? undefined, {
      timeoutMs,
      what: fn.toString().slice(0, 80),
      intervalMs: 50,
    })
  }

  /** Types `value` into the field labelled `label` (waiting for it to show), as the page's own input handlers see it. */
  async fill(label: string, value: string): Promise<void> {
    await this.waitFor(
      ({ label, value }) => {
        const labels = [...document.querySelectorAll('label')]
        const match = labels.find((l) => l.textContent?.trim() === label) ?? labels.find((l) => l.textContent?.trim().startsWith(label))
        const field = match?.control as HTMLInputElement | null | undefined
        if (!field) return null
        field.focus()
        field.value = value
        field.dispatchEvent(new Event('input', { bubbles: true }))
        field.dispatchEvent(new Event('change', { bubbles: true }))
        return true
      },
      { label, value },
    )
  }

  /** Clicks the button named `name` (in the open dialog, if `inDialog`) with real mouse events. */
  async click(name: string, options: { inDialog?: boolean; timeoutMs?: number } = {}): Promise<void> {
    const point = await this.waitFor(
      ({ name, inDialog }) => {
        const scope = inDialog ? document.querySelector('dialog[open]') : document
        const button = [...(scope?.querySelectorAll('button') ?? [])].find((b) => b.textContent?.trim() === name && !b.disabled)
        if (!button) return null
        button.scrollIntoView({ block: 'center' })
        const box = button.getBoundingClientRect()
        return { x: box.x + box.width / 2, y: box.y + box.height / 2 }
      },
      { name, inDialog: options.inDialog ?? false },
      options.timeoutMs,
    )
    for (const type of ['mouseMoved', 'mousePressed', 'mouseReleased']) {
      await this.connection.send('Input.dispatchMouseEvent', { type, ...point, button: 'left', clickCount: 1 }, this.pageSession)
    }
  }

  /** Takes the page and its worker off the network, or back on (DevTools network emulation). */
  setOffline(offline: boolean): Promise<void> {
    return this.probe.setOffline(offline)
  }

  async now(): Promise<number> {
    return this.evaluate(() => performance.now())
  }

  async longTasksSince(since: number, until = Infinity): Promise<LongTask[]> {
    return this.evaluate(
      ({ since, until }) =>
        (window as unknown as { benchLongTasks: LongTask[] }).benchLongTasks.filter(
          (task) => task.start >= since && task.start <= (until ?? Infinity),
        ),
      { since, until: Number.isFinite(until) ? until : null },
    )
  }

  async storageUsage(): Promise<number> {
    return this.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0)
  }

  /** Closes Chromium the way a user quits it (IndexedDB and cookies written out); a profile made here is deleted. */
  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.process.once('exit', resolve))
    await this.connection.send('Browser.close').catch(() => this.process.kill())
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))])
    if (this.process.exitCode === null) this.process.kill('SIGKILL')
    if (this.ownsProfile) rmSync(this.profileDir, { recursive: true, force: true })
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

export async function pollUntil<T>(
  read: () => Promise<T | undefined>,
  options: { intervalMs?: number; timeoutMs: number; what: string },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs
  for (;;) {
    const value = await read()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${options.what}`)
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100))
  }
}
