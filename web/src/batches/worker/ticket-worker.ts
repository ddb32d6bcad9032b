import { expose } from 'comlink'
import type { BatchProgress } from '../core/batch-progress.ts'
import type { BatchRequest } from '../core/local-batch.ts'
import { BatchSupervisor } from '../core/batch-supervisor.ts'
import { browserConnectivity, webCryptoKeys, webLocks } from './browser-services.ts'
import { HttpBatchTransport } from './http-transport.ts'
import { ProgressReporter } from './progress-reporter.ts'
import { SignInGate } from './sign-in-gate.ts'
import { IndexedDbStagingStore } from './staging-db.ts'

export interface WorkerSettings {
  apiBase: string
}

let supervisor: BatchSupervisor | undefined
const signInGate = new SignInGate()

function requireSupervisor(): BatchSupervisor {
  if (!supervisor) throw new Error('ticket worker used before start()')
  return supervisor
}

const api = {
  /** Starts the worker and resumes every unfinished batch; progress arrives through `onProgress`. */
  async start(settings: WorkerSettings, onProgress: (progress: BatchProgress) => void): Promise<BatchProgress[]> {
    supervisor ??= new BatchSupervisor({
      store: new IndexedDbStagingStore(),
      transport: new HttpBatchTransport(settings.apiBase),
      connectivity: browserConnectivity,
      session: signInGate,
      locks: webLocks,
      keys: webCryptoKeys,
      progress: new ProgressReporter(onProgress),
      log: console,
    })
    return supervisor.resumeUnfinished()
  },
  createBatch: (request: BatchRequest) => requireSupervisor().createBatch(request),
  pause: (batchId: string) => requireSupervisor().pause(batchId),
  resume: (batchId: string) => requireSupervisor().resume(batchId),
  cancel: (batchId: string) => requireSupervisor().cancel(batchId),
  /** The page signed in again: uploads that stopped on a 401 go on at once. */
  signedIn: () => signInGate.signedIn(),
}

export type TicketWorkerApi = typeof api

expose(api)
