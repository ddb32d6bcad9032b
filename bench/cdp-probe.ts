import type { CdpConnection } from './cdp-connection.ts'
import type { CpuProfile } from './cpu-profile-summary.ts'

interface HeapUsage {
  usedSize: number
  totalSize: number
}

/** `Network.emulateNetworkConditionsByRule`'s parameters: `conditions` for every URL (see emulateNetwork). */
export function networkRuleForEveryUrl(conditions: NetworkConditions) {
  return {
    offline: false,
    matchedNetworkConditions: [
      {
        urlPattern: '',
        latency: conditions.latencyMs,
        uploadThroughput: conditions.uploadBitsPerSecond / 8,
        downloadThroughput: conditions.downloadBitsPerSecond / 8,
      },
    ],
  }
}

export interface NetworkConditions {
  latencyMs: number
  uploadBitsPerSecond: number
  downloadBitsPerSecond: number
}

/**
 * CDP access to a page and to its dedicated workers, which are targets of their own (auto-attached,
 * flat sessions), since `performance.memory` does not exist inside a worker.
 */
export class CdpProbe {
  #workerSessions: string[] = []

  private constructor(
    private readonly connection: CdpConnection,
    private readonly pageSession: string,
  ) {}

  static async attach(connection: CdpConnection, pageSession: string): Promise<CdpProbe> {
    const probe = new CdpProbe(connection, pageSession)
    connection.on('Target.attachedToTarget', ({ sessionId, targetInfo }) => {
      if (targetInfo.type === 'worker') probe.#workerSessions.push(sessionId)
    })
    connection.on('Target.detachedFromTarget', ({ sessionId }) => {
      probe.#workerSessions = probe.#workerSessions.filter((id) => id !== sessionId)
    })
    await connection.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: true }, pageSession)
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
    return (await this.connection.send<HeapUsage>('Runtime.getHeapUsage', {}, this.pageSession)).usedSize
  }

  /** Sum over the page's workers (Boxoffice has one). */
  async workerHeap(): Promise<number> {
    const usages = await Promise.all(this.#workerSessions.map((id) => this.connection.send<HeapUsage>('Runtime.getHeapUsage', {}, id)))
    return usages.reduce((sum, usage) => sum + usage.usedSize, 0)
  }

  async collectGarbage(): Promise<void> {
    await Promise.all(this.#sessions().map((id) => this.connection.send('HeapProfiler.collectGarbage', {}, id)))
  }

  /**
   * Applies network conditions to every request of the page and of its workers. The older
   * Network.emulateNetworkConditions on the page leaves a dedicated worker's fetches untouched (a
   * worker fetch of /api/health took 11 ms under a 40 ms latency), and Chromium refuses it on the
   * worker's own session; Network.emulateNetworkConditionsByRule on the page, with a pattern that
   * matches every URL, covers both once the worker's Network domain is enabled too (the same fetch
   * then took 50 ms). This keeps the Network domain enabled on both, and with it the per-request
   * reporting that the loopback scenarios avoid.
   */
  async emulateNetwork(conditions: NetworkConditions): Promise<void> {
    for (const id of this.#sessions()) await this.connection.send('Network.enable', {}, id)
    await this.connection.send('Network.emulateNetworkConditionsByRule', networkRuleForEveryUrl(conditions), this.pageSession)
  }

  /**
   * Offline for the page and its worker (set on the page, it covers the worker's requests too, and
   * there `navigator.onLine` turns false); back online, the Network domain is disabled again so
   * that requests go unreported.
   */
  async setOffline(offline: boolean): Promise<void> {
    if (offline) await this.connection.send('Network.enable', {}, this.pageSession)
    await this.connection.send(
      'Network.emulateNetworkConditions',
      { offline, latency: 0, uploadThroughput: -1, downloadThroughput: -1 },
      this.pageSession,
    )
    if (!offline) await this.connection.send('Network.disable', {}, this.pageSession)
  }

  /** Starts V8's sampling profiler in the page and in its workers. */
  async startProfiling(): Promise<void> {
    for (const id of this.#sessions()) {
      await this.connection.send('Profiler.enable', {}, id)
      await this.connection.send('Profiler.setSamplingInterval', { interval: 200 }, id)
      await this.connection.send('Profiler.start', {}, id)
    }
  }

  /** The profiles since startProfiling(): the page's, then one per worker. */
  async stopProfiling(): Promise<{ page: CpuProfile; workers: CpuProfile[] }> {
    const stop = async (id: string) => (await this.connection.send<{ profile: CpuProfile }>('Profiler.stop', {}, id)).profile
    return { page: await stop(this.pageSession), workers: await Promise.all(this.#workerSessions.map(stop)) }
  }

  #sessions(): string[] {
    return [this.pageSession, ...this.#workerSessions]
  }
}
