// The ticket worker: signs, stages and uploads every batch of this browser, off the page's thread.
// This file plugs the real edges into the core (core/batch-supervisor.ts) and exposes one setup
// step to the page (adapters/ticket-worker-bridge.ts).
import { expose, proxy } from 'comlink'
import type { BatchProgress } from '../core/batch-progress.ts'
import { BatchSupervisor } from '../core/batch-supervisor.ts'
import type { BatchRequest } from '../core/local-batch.ts'
import { browserConnectivity, webCryptoKeys, webLocks } from './browser-services.ts'
import { HttpBatchTransport } from './http-transport.ts'
import { ProgressReporter } from './progress-reporter.ts'
import { SignInGate } from './sign-in-gate.ts'
import { IndexedDbStagingStore } from './staging-db.ts'

/** What the page may do once the worker has started. */
function controlsOf(supervisor: BatchSupervisor, signInGate: SignInGate, unfinished: BatchProgress[]) {
  return {
    /** The batches found unfinished at start, as they stood then. */
    unfinished: () => unfinished,
    createBatch: (request: BatchRequest) => supervisor.createBatch(request),
    pause: (batchId: string) => supervisor.pause(batchId),
    resume: (batchId: string) => supervisor.resume(batchId),
    cancel: (batchId: string) => supervisor.cancel(batchId),
    /** The page signed in again: uploads that stopped on a 401 go on at once. */
    signedIn: () => signInGate.signedIn(),
  }
}

export type TicketWorkerControls = ReturnType<typeof controlsOf>

let started: Promise<TicketWorkerControls & ReturnType<typeof proxy>> | undefined

async function setUp(apiBase: string, onProgress: (progress: BatchProgress) => void, onStorageNotice: (message: string | null) => void) {
  const signInGate = new SignInGate()
  // Assigned before the store can call beforeClose: that needs a database open, so a supervisor at work.
  const store: IndexedDbStagingStore = new IndexedDbStagingStore({
    onNotice: onStorageNotice,
    beforeClose: async () => supervisor.stopAll(),
  })
  const supervisor = new BatchSupervisor({
    store,
    transport: new HttpBatchTransport(apiBase),
    connectivity: browserConnectivity,
    session: signInGate,
    locks: webLocks,
    keys: webCryptoKeys,
    progress: new ProgressReporter(onProgress),
    log: console,
  })
  const unfinished = await supervisor.resumeUnfinished()
  return proxy(controlsOf(supervisor, signInGate, unfinished))
}

const api = {
  /**
   * The one setup step, so nothing can be called before it: opens staging, resumes every
   * unfinished batch, and answers with what the page may call. Progress arrives through
   * `onProgress`; `onStorageNotice` says when another tab's update of the app holds staging up.
   */
  start(apiBase: string, onProgress: (progress: BatchProgress) => void, onStorageNotice: (message: string | null) => void) {
    started ??= setUp(apiBase, onProgress, onStorageNotice)
    return started
  },
}

export type TicketWorkerApi = typeof api

expose(api)
