// The page's only handle on the ticket worker, which does all signing, staging and uploading.
import { proxy, wrap } from 'comlink'
import { API_BASE } from '../../shared/io/request.ts'
import type { BatchProgress } from '../core/batch-progress.ts'
import type { TicketWorker, TicketWorkerReports } from '../state/box-office.svelte.ts'
import type { TicketWorkerApi } from '../worker/ticket-worker.ts'

/** Every call pending or to come rejects with this once the worker failed to load or died. */
export class WorkerStoppedError extends Error {
  override name = 'WorkerStoppedError'
}

/**
 * Loads and starts the worker: the one setup step, whose answer is the only way to call it. A
 * worker that fails to load, dies or sends what cannot be read is terminated, every call pending
 * or to come rejects with a WorkerStoppedError, and `reports.onStopped` says why.
 */
export async function startTicketWorker(reports: TicketWorkerReports): Promise<TicketWorker> {
  const worker = new Worker(new URL('../worker/ticket-worker.ts', import.meta.url), { type: 'module', name: 'ticket-worker' })
  let stopped: WorkerStoppedError | undefined
  let rejectAll!: (error: WorkerStoppedError) => void
  const died = new Promise<never>((_resolve, reject) => (rejectAll = reject))
  died.catch(() => undefined) // each call races it; it must not count as unhandled on its own
  const fail = (reason: string) => {
    if (stopped) return
    stopped = new WorkerStoppedError(`the ticket worker stopped: ${reason}`)
    worker.terminate()
    rejectAll(stopped)
    reports.onStopped(stopped.message)
  }
  // A script that cannot be fetched or parsed fires a plain Event; an uncaught error an ErrorEvent.
  worker.addEventListener('error', (event) =>
    fail(event instanceof ErrorEvent && event.message ? event.message : 'its script could not be loaded'),
  )
  worker.addEventListener('messageerror', () => fail('a message from it could not be read'))
  const call = <T>(send: () => Promise<T>): Promise<T> => (stopped ? Promise.reject(stopped) : Promise.race([send(), died]))

  const remote = wrap<TicketWorkerApi>(worker)
  // Comlink can only proxy a callback passed as a top-level argument.
  const onProgress = proxy((progress: BatchProgress) => reports.onProgress(progress))
  const onStorageNotice = proxy((message: string | null) => reports.onStorageNotice(message))
  const controls = await call(() => remote.start(API_BASE, onProgress, onStorageNotice))
  const unfinished = await call(() => controls.unfinished())
  return {
    unfinished,
    createBatch: (request) => call(() => controls.createBatch(request)),
    pause: (batchId) => call(() => controls.pause(batchId)),
    resume: (batchId) => call(() => controls.resume(batchId)),
    cancel: (batchId) => call(() => controls.cancel(batchId)),
    signedIn: () => call(() => controls.signedIn()),
  }
}
