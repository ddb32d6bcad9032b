import { createSignatureSigner, exportPublicKey, generateBatchKeyPair } from '@boxoffice/tickets'
import type { AckLedger } from '../core/ack-ledger.ts'
import { runBatchPipeline } from '../core/batch-pipeline.ts'
import { describeFailure, initialProgress, type BatchProgress } from '../core/batch-progress.ts'
import { callWithRetry, RequestRejectedError } from '../core/call-with-retry.ts'
import type { BatchRequest } from '../core/local-batch.ts'
import type { BatchTransport, Connectivity, SessionGate } from '../ports.ts'
import { PIPELINE_SETTINGS } from '../core/pipeline-settings.ts'
import { DEFAULT_RETRY_POLICY } from '../core/retry-policy.ts'
import { deadline } from '../../shared/core/abort.ts'
import { ProgressReporter } from './progress-reporter.ts'
import type { IndexedDbStagingStore, StoredBatch } from './staging-db.ts'

export interface SupervisorOptions {
  store: IndexedDbStagingStore
  transport: BatchTransport
  connectivity: Connectivity
  session: SessionGate
  onProgress: (progress: BatchProgress) => void
}

interface ActiveRun {
  controller: AbortController
  done: Promise<void>
}

/** Cancelling tries the server this long before it reports the server's count as unknown. */
const CANCEL_TIMEOUT_MS = 10_000
/** A batch that waits for the user asks the server its count once, this long at most. */
const STATUS_TIMEOUT_MS = 10_000

const lockName = (batchId: string) => `boxoffice-batch-${batchId}`

/** Owns the running batches of this tab: Web Locks, pause/resume/cancel, and progress reporting. */
export class BatchSupervisor {
  #runs = new Map<string, ActiveRun>()
  #reporters = new Map<string, ProgressReporter>()

  constructor(private readonly options: SupervisorOptions) {}

  async createBatch(request: BatchRequest): Promise<string> {
    const keys = await generateBatchKeyPair()
    const batch: StoredBatch = {
      ...request,
      id: crypto.randomUUID(),
      publicKey: await exportPublicKey(keys.publicKey),
      privateKey: keys.privateKey,
      createdAt: new Date().toISOString(),
      generatedCount: 0,
      registered: false,
      paused: false,
    }
    await this.options.store.createBatch(batch)
    console.log(`batch ${batch.id}: generating ${batch.quantity} tickets`)
    this.#launch(batch.id)
    return batch.id
  }

  /** Picks up every unfinished batch this browser holds; paused and failed ones wait for the user. */
  async resumeUnfinished(): Promise<BatchProgress[]> {
    const batches = await this.options.store.listBatches()
    for (const batch of batches) {
      this.#reporter(batch).report(initialProgress(batch), true)
      if (!batch.paused && !batch.failure) this.#launch(batch.id)
      else if (batch.registered) void this.#showServerCount(batch.id)
    }
    return batches.map((batch) => this.#reporter(batch).current)
  }

  async pause(batchId: string): Promise<void> {
    await this.options.store.setPaused(batchId, true)
    await this.#stop(batchId)
    this.#update(batchId, { phase: 'paused', retry: undefined })
  }

  async resume(batchId: string): Promise<void> {
    try {
      await this.options.store.setPaused(batchId, false)
      await this.options.store.setFailure(batchId, undefined)
    } catch (error) {
      // Storage still full: run anyway; if nothing can be staged, the batch stops again and says why.
      console.warn(`batch ${batchId}: could not record the resume in this browser`, error)
    }
    this.#update(batchId, { failure: undefined, generationError: undefined })
    this.#launch(batchId)
  }

  /** Discards what was not uploaded and tells how many tickets the server already holds. */
  async cancel(batchId: string): Promise<{ onServer: number | null }> {
    const batch = await this.options.store.getBatch(batchId)
    await this.#stop(batchId)
    let onServer: number | null = null
    if (batch?.registered) {
      const limit = deadline(CANCEL_TIMEOUT_MS)
      try {
        const status = await callWithRetry('cancel batch', (s) => this.options.transport.cancelBatch(batchId, s), {
          policy: { ...DEFAULT_RETRY_POLICY, maxDelayMs: 2_000 },
          connectivity: this.options.connectivity,
          signal: limit.signal,
        })
        onServer = status.ticketsReceived
      } catch (error) {
        console.warn(`batch ${batchId}: could not cancel on the server`, error)
      } finally {
        limit.release()
      }
    } else if (batch) {
      onServer = 0
    }
    await this.options.store.deleteBatch(batchId)
    this.#update(batchId, { phase: 'cancelled', retry: undefined })
    console.log(`batch ${batchId}: cancelled; ${onServer ?? 'unknown number of'} tickets were already on the server`)
    return { onServer }
  }

  /** A batch that waits for the user still shows how many of its tickets the server holds. */
  async #showServerCount(batchId: string) {
    const limit = deadline(STATUS_TIMEOUT_MS)
    const outcome = await this.options.transport.getBatchStatus(batchId, limit.signal).catch(() => undefined)
    limit.release()
    // Once the batch runs again, its own acknowledgements are the newer count.
    if (outcome?.ok && !this.#runs.has(batchId)) this.#update(batchId, { uploaded: outcome.value.ticketsReceived })
  }

  #launch(batchId: string) {
    if (this.#runs.has(batchId)) return
    const controller = new AbortController()
    const done = navigator.locks
      .request(lockName(batchId), { ifAvailable: true }, async (lock) => {
        if (lock) return this.#run(batchId, controller.signal)
        // Another tab uploads this batch. Wait our turn: if that tab closes, this one takes over.
        this.#update(batchId, { phase: 'elsewhere' })
        return navigator.locks.request(lockName(batchId), { signal: controller.signal }, () => this.#run(batchId, controller.signal))
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) console.error(`batch ${batchId}: stopped unexpectedly`, error)
      })
      .finally(() => {
        if (this.#runs.get(batchId)?.controller === controller) this.#runs.delete(batchId)
      })
    this.#runs.set(batchId, { controller, done })
  }

  async #run(batchId: string, signal: AbortSignal): Promise<void> {
    // Read afresh under the lock: another tab may have advanced or finished this batch.
    const batch = await this.options.store.getBatch(batchId)
    if (!batch) {
      this.#update(batchId, { phase: 'completed', retry: undefined })
      return
    }
    const reporter = this.#reporter(batch)
    reporter.startRun(batch.generatedCount)
    this.#update(batchId, { phase: batch.generatedCount < batch.quantity ? 'generating' : 'uploading', generated: batch.generatedCount })
    let ledger: AckLedger | undefined
    try {
      const status = await runBatchPipeline(
        batch,
        {
          transport: this.options.transport,
          store: this.options.store,
          connectivity: this.options.connectivity,
          session: this.options.session,
          policy: DEFAULT_RETRY_POLICY,
          signer: createSignatureSigner(batch.privateKey, { batchId: batch.id, ticketType: batch.ticketType }),
          settings: PIPELINE_SETTINGS,
        },
        {
          onGenerated: (generated, preview) => reporter.generated(generated, preview),
          onGenerationStopped: (error) => {
            const failure = describeFailure(error, batch.quantity)
            console.error(`batch ${batch.id}: generation stopped at ${reporter.current.generated}/${batch.quantity}: ${failure.message}`)
            reporter.generationStopped(failure.message)
          },
          onLedger: (known) => {
            ledger = known
            reporter.uploaded(known.ackedTickets)
          },
          onAck: (index, _ack, known) => reporter.chunkAcked(index, known.ackedTickets),
          onNotice: (notice, chunkIndex) => reporter.notice(notice, chunkIndex),
          onCleanupError: (error) => console.warn(`batch ${batch.id}: acknowledged chunks stay staged until the next resume`, error),
        },
        signal,
      )
      await this.options.store.deleteBatch(batch.id)
      reporter.report({ phase: 'completed', uploaded: status.ticketsReceived, generated: batch.quantity, retry: undefined }, true)
      console.log(`batch ${batch.id}: completed with ${status.ticketsReceived} tickets`)
    } catch (error) {
      if (signal.aborted) return
      const failure = describeFailure(error, batch.quantity)
      // With the storage full, even recording the failure can fail; the page must still hear of it.
      await this.options.store.setFailure(batch.id, failure).catch((storeError: unknown) => console.warn(`batch ${batch.id}: could not record the failure in this browser`, storeError))
      reporter.report({ phase: 'failed', failure, retry: undefined }, true)
      const uploaded = ledger?.ackedTickets ?? reporter.current.uploaded
      console.error(`batch ${batch.id}: failed at ${uploaded}/${batch.quantity}: ${failure.message}`)
      if (!(error instanceof RequestRejectedError)) console.error(error)
    }
  }

  async #stop(batchId: string) {
    const run = this.#runs.get(batchId)
    if (!run) return
    run.controller.abort(new DOMException('stopped by the user', 'AbortError'))
    await run.done
  }

  #reporter(batch: StoredBatch): ProgressReporter {
    let reporter = this.#reporters.get(batch.id)
    if (!reporter) {
      reporter = new ProgressReporter(initialProgress(batch), this.options.onProgress)
      this.#reporters.set(batch.id, reporter)
    }
    return reporter
  }

  #update(batchId: string, change: Partial<BatchProgress>) {
    this.#reporters.get(batchId)?.report(change, true)
  }
}
