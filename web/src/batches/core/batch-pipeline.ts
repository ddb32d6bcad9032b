import type { BatchStatus, ChunkAck, Ticket } from '@boxoffice/tickets'
import { AckLedger } from './ack-ledger.ts'
import { callWithRetry, type RetryNotice } from './call-with-retry.ts'
import { GenerationRun } from './generation-run.ts'
import { linkedAbortController } from '../../shared/core/abort.ts'
import { creationBody, type LocalBatch } from './local-batch.ts'
import type { PipelineSettings } from './pipeline-settings.ts'
import type { BatchTransport, Connectivity, SessionGate, StagingStore, TicketSigner } from '../ports.ts'
import type { RetryPolicy } from './retry-policy.ts'
import { drainChunks } from './upload-drain.ts'

export interface PipelineDependencies {
  transport: BatchTransport
  store: StagingStore
  connectivity: Connectivity
  session?: SessionGate
  policy: RetryPolicy
  signer: TicketSigner
  settings: PipelineSettings
  random?: () => number
}

export interface PipelineEvents {
  onGenerated?(generated: number, preview: readonly Ticket[]): void
  /** Generation failed (e.g. storage full); what was staged still uploads. */
  onGenerationStopped?(error: unknown): void
  /** The server's view is known; `ledger` is updated as chunks are acknowledged. */
  onLedger?(ledger: AckLedger): void
  onAck?(index: number, ack: ChunkAck, ledger: AckLedger): void
  /** Acknowledged chunks could not be deleted from staging; the next resume clears them. */
  onCleanupError?(error: unknown): void
  /** `chunkIndex` is set when the notice concerns a chunk upload. */
  onNotice?(notice: RetryNotice, chunkIndex?: number): void
}

/** The type was renamed between the form's list and the batch's creation: tokens signed with the old name would be refused. */
export class TicketTypeRenamedError extends Error {
  constructor(asked: string, stored: string) {
    super(`The ticket type “${asked}” was renamed “${stored}” while this batch was created. Cancel it and create it again.`)
    this.name = 'TicketTypeRenamedError'
  }
}

export class BatchCancelledOnServerError extends Error {
  constructor(batchId: string) {
    super(`batch ${batchId} was cancelled on the server`)
    this.name = 'BatchCancelledOnServerError'
  }
}

/**
 * Runs a batch to completion from wherever it stands: generates what is not yet staged
 * (offline too), registers the batch when the network allows, asks the server which chunks
 * it holds, uploads the rest, and completes the batch. Safe to start again after any stop.
 */
export async function runBatchPipeline(
  batch: LocalBatch,
  deps: PipelineDependencies,
  events: PipelineEvents,
  signal: AbortSignal,
): Promise<BatchStatus> {
  const { controller: stop, unlink } = linkedAbortController(signal)

  const generation = new GenerationRun({
    batchId: batch.id,
    quantity: batch.quantity,
    startSerial: batch.generatedCount,
    signer: deps.signer,
    store: deps.store,
    chunksPerTransaction: deps.settings.chunksPerTransaction,
    handoffLimit: deps.settings.handoffLimit,
    onStaged: (generated, preview) => events.onGenerated?.(generated, preview),
  })
  const retry = { policy: deps.policy, connectivity: deps.connectivity, session: deps.session, random: deps.random }
  const context = { ...retry, signal: stop.signal, onNotice: (notice: RetryNotice) => events.onNotice?.(notice) }

  // Nothing is generated before the server has accepted the batch, and so reserved its tickets
  // from the ticket type's capacity: a batch that does not fit is refused with nothing staged.
  let openGeneration = () => {}
  const accepted = new Promise<void>((resolve, reject) => {
    openGeneration = resolve
    stop.signal.addEventListener('abort', () => reject(stop.signal.reason), { once: true })
  })
  const generating = accepted
    .then(() => generation.run(stop.signal))
    .catch((error: unknown) => {
      if (!stop.signal.aborted) events.onGenerationStopped?.(error)
      throw error
    })
  const uploading = (async () => {
    let status: BatchStatus
    if (!batch.registered) {
      // The creation's answer is the batch's status (a replay's too, with whatever it holds),
      // so no second round trip asks for it.
      status = await callWithRetry('register batch', (s) => deps.transport.registerBatch(creationBody(batch), s), context)
      await deps.store.markRegistered(batch.id)
    } else {
      status = await callWithRetry('read batch status', (s) => deps.transport.getBatchStatus(batch.id, s), context)
    }
    if (status.state === 'cancelled') throw new BatchCancelledOnServerError(batch.id)
    // The server signs nothing, but checks every token with the name it stored for the batch.
    if (status.ticketType !== batch.ticketType) throw new TicketTypeRenamedError(batch.ticketType, status.ticketType)
    openGeneration()
    const ledger = new AckLedger(batch.quantity, status.committedChunks)
    // Chunks the server acknowledged before a reload may still be staged here.
    await deps.store.deleteChunks(batch.id, status.committedChunks)
    events.onLedger?.(ledger)
    if (status.state === 'completed') return status
    await drainChunks(
      {
        batchId: batch.id,
        ledger,
        source: generation,
        store: deps.store,
        transport: deps.transport,
        retry,
        settings: deps.settings,
        onAck: (index, ack) => events.onAck?.(index, ack, ledger),
        onNotice: (notice, index) => events.onNotice?.(notice, index),
        onCleanupError: (error) => events.onCleanupError?.(error),
      },
      stop.signal,
    )
    return callWithRetry('complete batch', (s) => deps.transport.completeBatch(batch.id, s), context)
  })()
  // A refused upload stops generation too; a failed generation lets the drain send what is staged.
  uploading.catch((error: unknown) => stop.abort(error))

  const [, uploaded] = await Promise.allSettled([generating, uploading])
  unlink()
  signal.throwIfAborted()
  if (uploaded.status === 'fulfilled') return uploaded.value
  // A generation failure (e.g. storage quota) surfaces here too: the drain sends what was
  // staged, then fails waiting for the chunk that was never generated.
  throw uploaded.reason
}
