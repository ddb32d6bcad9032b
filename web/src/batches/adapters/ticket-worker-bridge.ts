import { proxy, wrap, type Remote } from 'comlink'
import type { BatchProgress } from '../core/batch-progress.ts'
import type { BatchRequest } from '../core/local-batch.ts'
import type { TicketWorkerApi } from '../worker/ticket-worker.ts'

/** The page's only handle on the ticket worker, which does all signing, staging and uploading. */
export class TicketWorkerBridge {
  #worker: Worker
  #api: Remote<TicketWorkerApi>

  constructor() {
    this.#worker = new Worker(new URL('../worker/ticket-worker.ts', import.meta.url), { type: 'module', name: 'ticket-worker' })
    this.#api = wrap<TicketWorkerApi>(this.#worker)
  }

  start(onProgress: (progress: BatchProgress) => void): Promise<BatchProgress[]> {
    // Comlink can only proxy a callback passed as a top-level argument.
    return this.#api.start({ apiBase: '/api' }, proxy(onProgress))
  }

  createBatch(request: BatchRequest): Promise<string> {
    return this.#api.createBatch(request)
  }
  pause(batchId: string): Promise<void> {
    return this.#api.pause(batchId)
  }
  resume(batchId: string): Promise<void> {
    return this.#api.resume(batchId)
  }
  cancel(batchId: string): Promise<{ onServer: number | null }> {
    return this.#api.cancel(batchId)
  }
  signedIn(): Promise<void> {
    return this.#api.signedIn()
  }
}
