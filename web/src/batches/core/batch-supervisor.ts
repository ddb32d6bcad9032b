import type { BatchRequest } from './local-batch.ts'
import { deadline } from '../../shared/core/abort.ts'
import type {
  BatchKeys,
  BatchLocks,
  BatchLog,
  BatchStore,
  BatchTransport,
  Connectivity,
  ProgressSink,
  SessionGate,
  StoredBatch,
} from '../ports.ts'
import type { AckLedger } from './ack-ledger.ts'
import { runBatchPipeline } from './batch-pipeline.ts'
import {
  advanceProgress,
  describeFailure,
  initialProgress,
  type BatchProgress,
  type ProgressEvent,
  type ProgressState,
} from './batch-progress.ts'
import { callWithRetry, RequestRejectedError, type RetryNotice } from './call-with-retry.ts'
import { PIPELINE_SETTINGS, type PipelineSettings } from './pipeline-settings.ts'
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.ts'

export interface SupervisorOptions {
  store: BatchStore
  transport: BatchTransport
  connectivity: Connectivity
  session: SessionGate
  locks: BatchLocks
  keys: BatchKeys
  progress: ProgressSink
  log: BatchLog
  policy?: RetryPolicy
  settings?: PipelineSettings
}

interface ActiveRun {
  controller: AbortController
  done: Promise<void>
}

/** Cancelling tries the server this long before it reports the server's count as unknown. */
const CANCEL_TIMEOUT_MS = 10_000
/** A batch that waits for the user asks the server its count once, this long at most. */
const STATUS_TIMEOUT_MS = 10_000
/** Console lines for routine chunk acknowledgements at most this often; retries and failures always log. */
const LOG_INTERVAL_MS = 1_000

const lockName = (batchId: string) => `boxoffice-batch-${batchId}`

/**
 * Owns the batches of this tab: runs each under its lock (one tab at a time), pauses, resumes and
 * cancels them, and reports their progress. Imports no I/O: everything comes through its options.
 */
export class BatchSupervisor {
  #runs = new Map<string, ActiveRun>()
  #batches = new Map<string, { state: ProgressState; loggedAt: number }>()
  readonly #policy: RetryPolicy
  readonly #settings: PipelineSettings

  constructor(private readonly options: SupervisorOptions) {
    this.#policy = options.policy ?? DEFAULT_RETRY_POLICY
    this.#settings = options.settings ?? PIPELINE_SETTINGS
  }

  async createBatch(request: BatchRequest): Promise<string> {
    const { keys, store, log } = this.options
    const { publicKey, privateKey } = await keys.generateKeys()
    const batch: StoredBatch = {
      ...request,
      id: keys.newBatchId(),
      publicKey,
      privateKey,
      createdAt: new Date().toISOString(),
      generatedCount: 0,
      registered: false,
      paused: false,
    }
    await store.createBatch(batch)
    log.log(`batch ${batch.id}: generating ${batch.quantity} tickets`)
    this.#track(batch)
    this.#launch(batch.id)
    return batch.id
  }

  /** Picks up every unfinished batch this browser holds; paused and failed ones wait for the user. */
  async resumeUnfinished(): Promise<BatchProgress[]> {
    const batches = await this.options.store.listBatches()
    for (const batch of batches) {
      this.#track(batch)
      this.#apply(batch.id, { kind: 'set', change: initialProgress(batch) })
      if (!batch.paused && !batch.failure) this.#launch(batch.id)
      else if (batch.registered) void this.#showServerCount(batch.id)
    }
    return batches.map((batch) => this.#progressOf(batch.id)!)
  }

  async pause(batchId: string): Promise<void> {
    await this.options.store.setPaused(batchId, true)
    await this.#stop(batchId)
    this.#set(batchId, { phase: 'paused', retry: undefined })
  }

  async resume(batchId: string): Promise<void> {
    try {
      await this.options.store.setPaused(batchId, false)
      await this.options.store.setFailure(batchId, undefined)
    } catch (error) {
      // Storage still full: run anyway; if nothing can be staged, the batch stops again and says why.
      this.options.log.warn(`batch ${batchId}: could not record the resume in this browser`, error)
    }
    this.#set(batchId, { failure: undefined, generationError: undefined })
    this.#launch(batchId)
  }

  /** Discards what was not uploaded and tells how many tickets the server already holds. */
  async cancel(batchId: string): Promise<{ onServer: number | null }> {
    const { store, transport, connectivity, log } = this.options
    const batch = await store.getBatch(batchId)
    await this.#stop(batchId)
    let onServer: number | null = null
    if (batch?.registered) {
      const limit = deadline(CANCEL_TIMEOUT_MS)
      try {
        const status = await callWithRetry('cancel batch', (signal) => transport.cancelBatch(batchId, signal), {
          policy: { ...this.#policy, maxDelayMs: 2_000 },
          connectivity,
          signal: limit.signal,
        })
        onServer = status.ticketsReceived
      } catch (error) {
        log.warn(`batch ${batchId}: could not cancel on the server`, error)
      } finally {
        limit.release()
      }
    } else if (batch) {
      onServer = 0
    }
    await store.deleteBatch(batchId)
    this.#set(batchId, { phase: 'cancelled', retry: undefined })
    log.log(`batch ${batchId}: cancelled; ${onServer ?? 'unknown number of'} tickets were already on the server`)
    return { onServer }
  }

  /** Stops every run of this tab without recording anything (the store is about to close). */
  async stopAll(): Promise<void> {
    await Promise.all([...this.#runs.keys()].map((batchId) => this.#stop(batchId)))
  }

  /** A batch that waits for the user still shows how many of its tickets the server holds. */
  async #showServerCount(batchId: string) {
    const limit = deadline(STATUS_TIMEOUT_MS)
    const outcome = await this.options.transport.getBatchStatus(batchId, limit.signal).catch(() => undefined)
    limit.release()
    // Once the batch runs again, its own acknowledgements are the newer count.
    if (outcome?.ok && !this.#runs.has(batchId)) this.#set(batchId, { uploaded: outcome.value.ticketsReceived })
  }

  #launch(batchId: string) {
    if (this.#runs.has(batchId)) return
    const controller = new AbortController()
    const done = this.options.locks
      // Another tab uploads this batch: wait our turn; if that tab closes, this one takes over.
      .hold(
        lockName(batchId),
        controller.signal,
        () => this.#set(batchId, { phase: 'elsewhere' }),
        () => this.#run(batchId, controller.signal),
      )
      .catch((error: unknown) => {
        if (!controller.signal.aborted) this.options.log.error(`batch ${batchId}: stopped unexpectedly`, error)
      })
      .finally(() => {
        if (this.#runs.get(batchId)?.controller === controller) this.#runs.delete(batchId)
      })
    this.#runs.set(batchId, { controller, done })
  }

  async #run(batchId: string, signal: AbortSignal): Promise<void> {
    const { store, log } = this.options
    // Read afresh under the lock: another tab may have advanced or finished this batch.
    const batch = await store.getBatch(batchId)
    if (!batch) {
      this.#set(batchId, { phase: 'completed', retry: undefined })
      return
    }
    this.#track(batch)
    this.#apply(batchId, { kind: 'run-started', generated: batch.generatedCount })
    let ledger: AckLedger | undefined
    try {
      const status = await runBatchPipeline(
        batch,
        {
          transport: this.options.transport,
          store,
          connectivity: this.options.connectivity,
          session: this.options.session,
          policy: this.#policy,
          signer: this.options.keys.signer(batch),
          settings: this.#settings,
        },
        {
          onGenerated: (generated, preview) => this.#apply(batchId, { kind: 'staged', generated, preview }),
          onGenerationStopped: (error) => {
            const failure = describeFailure(error, batch.quantity)
            log.error(
              `batch ${batchId}: generation stopped at ${this.#progressOf(batchId)!.generated}/${batch.quantity}: ${failure.message}`,
            )
            this.#apply(batchId, { kind: 'generation-stopped', message: failure.message })
          },
          onLedger: (known) => {
            ledger = known
            this.#apply(batchId, { kind: 'server-holds', uploaded: known.ackedTickets })
          },
          onAck: (index, _ack, known) => this.#chunkAcked(batch, index, known.ackedTickets),
          onNotice: (notice, chunkIndex) => this.#notice(batchId, notice, chunkIndex),
          onCleanupError: (error) => log.warn(`batch ${batchId}: acknowledged chunks stay staged until the next resume`, error),
        },
        signal,
      )
      await store.deleteBatch(batchId)
      const tookMs = Math.max(0, Date.now() - Date.parse(batch.createdAt))
      this.#set(batchId, { phase: 'completed', uploaded: status.ticketsReceived, generated: batch.quantity, retry: undefined, tookMs })
      log.log(`batch ${batchId}: completed with ${status.ticketsReceived} tickets`)
    } catch (error) {
      if (signal.aborted) return
      const failure = describeFailure(error, batch.quantity)
      // With the storage full, even recording the failure can fail; the page must still hear of it.
      await store
        .setFailure(batchId, failure)
        .catch((storeError: unknown) => log.warn(`batch ${batchId}: could not record the failure in this browser`, storeError))
      this.#set(batchId, { phase: 'failed', failure, retry: undefined })
      const uploaded = ledger?.ackedTickets ?? this.#progressOf(batchId)!.uploaded
      log.error(`batch ${batchId}: failed at ${uploaded}/${batch.quantity}: ${failure.message}`)
      if (!(error instanceof RequestRejectedError)) log.error(error)
    }
  }

  #chunkAcked(batch: StoredBatch, index: number, uploaded: number) {
    this.#apply(batch.id, { kind: 'chunk-acked', uploaded })
    const tracked = this.#batches.get(batch.id)!
    const now = this.options.connectivity.now()
    if (now - tracked.loggedAt >= LOG_INTERVAL_MS || uploaded >= batch.quantity) {
      tracked.loggedAt = now
      const percent = ((uploaded / batch.quantity) * 100).toFixed(1)
      this.options.log.log(`batch ${batch.id}: chunk ${index} saved, ${uploaded}/${batch.quantity} uploaded (${percent}%)`)
    }
  }

  #notice(batchId: string, notice: RetryNotice, chunkIndex: number | undefined) {
    const { log } = this.options
    const target = chunkIndex === undefined ? notice.operation : `chunk ${chunkIndex}`
    const retryAt = notice.kind === 'retrying' ? Date.now() + notice.delayMs : 0
    this.#apply(batchId, { kind: 'notice', notice, target, retryAt })
    if (notice.kind === 'retrying') {
      const { reason } = this.#progressOf(batchId)!.retry!
      log.warn(`batch ${batchId}: retry ${notice.attempt} for ${target} in ${Math.round(notice.delayMs / 100) / 10} s (${reason})`)
    } else if (notice.kind === 'signed-out') log.warn(`batch ${batchId}: session ended; ${target} waits for a new sign-in`)
    else if (notice.kind === 'offline') log.warn(`batch ${batchId}: offline; ${target} waits for the network`)
    else log.log(`batch ${batchId}: ${target} went through again`)
  }

  async #stop(batchId: string) {
    const run = this.#runs.get(batchId)
    if (!run) return
    run.controller.abort(new DOMException('stopped by the user', 'AbortError'))
    await run.done
  }

  /** Starts following a batch's progress, from what the store holds, unless it is followed already. */
  #track(batch: StoredBatch) {
    if (!this.#batches.has(batch.id)) this.#batches.set(batch.id, { state: { progress: initialProgress(batch) }, loggedAt: 0 })
  }

  #progressOf(batchId: string): BatchProgress | undefined {
    return this.#batches.get(batchId)?.state.progress
  }

  #set(batchId: string, change: Partial<BatchProgress>) {
    this.#apply(batchId, { kind: 'set', change })
  }

  /** Applies an event to a followed batch and reports the result; events for unknown batches are dropped. */
  #apply(batchId: string, event: ProgressEvent) {
    const tracked = this.#batches.get(batchId)
    if (!tracked) return
    const { state, urgent } = advanceProgress(tracked.state, event, this.options.connectivity.now())
    tracked.state = state
    this.options.progress.report(state.progress, urgent)
  }
}
