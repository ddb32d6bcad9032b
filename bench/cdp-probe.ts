import type { CDPSession, Page } from '@playwright/test'
import type { CpuProfile } from './cpu-profile-summary.ts'

interface HeapUsage {
  usedSize: number
  totalSize: number
}

/**
 * CDP access to a page and to its dedicated workers. Workers are separate targets, reached through
 * Target.setAutoAttach (non-flat) and Target.sendMessageToTarget, since `performance.memory` does
 * not exist inside a worker.
 */
export class CdpProbe {
  #workerSessions: string[] = []
  #pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>()
  #nextId = 0

  private constructor(readonly session: CDPSession) {}

  static async attach(page: Page): Promise<CdpProbe> {
    const session = await page.context().newCDPSession(page)
    const probe = new CdpProbe(session)
    session.on('Target.attachedToTarget', ({ sessionId, targetInfo }) => {
      if (targetInfo.type === 'worker') probe.#workerSessions.push(sessionId)
    })
    session.on('Target.detachedFromTarget', ({ sessionId }) => {
      probe.#workerSessions = probe.#workerSessions.filter((id) => id !== sessionId)
    })
    session.on('Target.receivedMessageFromTarget', ({ message }) => {
      const reply = JSON.parse(message) as { id?: number; result?: unknown; error?: { message: string } }
      const pending = reply.id === undefined ? undefined : probe.#pending.get(reply.id)
      if (!pending) return
      probe.#pending.delete(reply.id!)
      if (reply.error) pending.reject(new Error(reply.error.message))
      else pending.resolve(reply.result)
    })
    await session.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false })
    return probe
  }

  get workerCount(): number {
    return this.#workerSessions.length
  }

  async waitForWorker(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (this.#workerSessions.length === 0) {
      if (Date.now() > deadline) throw new Error('no worker target attached')
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }

  async pageHeap(): Promise<number> {
    return ((await this.session.send('Runtime.getHeapUsage')) as HeapUsage).usedSize
  }

  /** Sum over the page's workers (Boxoffice has one). */
  async workerHeap(): Promise<number> {
    const usages = await Promise.all(this.#workerSessions.map((id) => this.#sendToWorker<HeapUsage>(id, 'Runtime.getHeapUsage')))
    return usages.reduce((sum, usage) => sum + usage.usedSize, 0)
  }

  async collectGarbage(): Promise<void> {
    await this.session.send('HeapProfiler.collectGarbage')
    await Promise.all(this.#workerSessions.map((id) => this.#sendToWorker(id, 'HeapProfiler.collectGarbage')))
  }

  /** Starts V8's sampling profiler in the page and in its workers. */
  async startProfiling(): Promise<void> {
    const start = async (send: (method: string, params?: object) => Promise<unknown>) => {
      await send('Profiler.enable')
      await send('Profiler.setSamplingInterval', { interval: 200 })
      await send('Profiler.start')
    }
    await start((method, params) => this.session.send(method as 'Profiler.enable', params))
    await Promise.all(this.#workerSessions.map((id) => start((method, params) => this.#sendToWorker(id, method, params))))
  }

  /** The profiles since startProfiling(): the page's, then one per worker. */
  async stopProfiling(): Promise<{ page: CpuProfile; workers: CpuProfile[] }> {
    const page = ((await this.session.send('Profiler.stop')) as { profile: CpuProfile }).profile
    const workers = await Promise.all(this.#workerSessions.map(async (id) => (await this.#sendToWorker<{ profile: CpuProfile }>(id, 'Profiler.stop')).profile))
    return { page, workers }
  }

  /**
   * Applies network conditions to the page. Chromium answers "Not supported" for a dedicated
   * worker's own Network domain; its requests go through the page's, and the throttling applies
   * to them (the Wi-Fi scenario's rates show it).
   */
  async emulateNetwork(conditions: { latencyMs: number; uploadBitsPerSecond: number; downloadBitsPerSecond: number }): Promise<void> {
    const params = {
      offline: false,
      latency: conditions.latencyMs,
      uploadThroughput: conditions.uploadBitsPerSecond / 8,
      downloadThroughput: conditions.downloadBitsPerSecond / 8,
    }
    await this.session.send('Network.enable')
    await this.session.send('Network.emulateNetworkConditions', params)
  }

  async detach(): Promise<void> {
    await this.session.detach().catch(() => {})
  }

  #sendToWorker<T>(sessionId: string, method: string, params: object = {}): Promise<T> {
    const id = ++this.#nextId
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject })
      this.session.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch(reject)
    })
  }
}
