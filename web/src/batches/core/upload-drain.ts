import type { ChunkAck } from '@boxoffice/tickets'
import type { AckLedger } from './ack-ledger.ts'
import { callWithRetry, type RetryContext, type RetryNotice } from './call-with-retry.ts'
import { AckedChunkReaper } from './acked-chunk-reaper.ts'
import { linkedAbortController } from '../../shared/core/abort.ts'
import { RecoveryBeacon } from './recovery-beacon.ts'
import type { BatchTransport, StagedChunk, StagingStore } from '../ports.ts'
import type { PipelineSettings } from './pipeline-settings.ts'
import { StagedChunkReader } from './staged-chunk-reader.ts'

/** Where the drain gets chunks from: the generator's frontier and its in-memory handoff. */
export interface ChunkSource {
  /** Resolves true once chunk `index` is staged; false if generation stopped before staging it. */
  waitForStaged(index: number, signal: AbortSignal): Promise<boolean>
  /** Why generation stopped early (e.g. storage full), once `waitForStaged` answered false. */
  readonly stopReason: unknown
  takeHandoff(index: number): StagedChunk | undefined
}

export class ChunkMissingError extends Error {
  constructor(readonly index: number) {
    super(`chunk ${index} is neither staged in this browser nor held by the server`)
    this.name = 'ChunkMissingError'
  }
}

export interface DrainOptions {
  batchId: string
  ledger: AckLedger
  source: ChunkSource
  store: StagingStore
  transport: BatchTransport
  retry: Omit<RetryContext, 'signal' | 'onNotice'>
  /** Uploads in flight, and how staging is read back and cleared. */
  settings: Pick<PipelineSettings, 'uploadsInFlight' | 'readAhead' | 'deleteBatch'>
  onAck?: (index: number, ack: ChunkAck) => void
  onNotice?: (notice: RetryNotice, chunkIndex: number) => void
  /** A staged chunk could not be deleted after its ack; it is cleared on the next resume. */
  onCleanupError?: (error: unknown) => void
}

/**
 * Uploads every chunk the ledger lacks, in index order, `settings.uploadsInFlight` at a time.
 * A chunk leaves staging only after the server acknowledged it. The first chunk the server
 * rejects for good stops the drain; the chunks still staged stay staged. When generation stops
 * early, every chunk it did stage is still sent before the drain fails with generation's error.
 */
export async function drainChunks(options: DrainOptions, signal: AbortSignal): Promise<void> {
  const { batchId, ledger, source, store, transport } = options
  const { controller: stop, unlink } = linkedAbortController(signal)

  const { uploadsInFlight, readAhead, deleteBatch } = options.settings
  const reader = new StagedChunkReader(store, batchId, readAhead)
  const reaper = new AckedChunkReaper(store, batchId, deleteBatch, (error) => options.onCleanupError?.(error))
  // One chunk acknowledged after an outage sends every lane still backing off at once.
  const recovery = new RecoveryBeacon()
  let cursor = 0
  /** The first chunk generation stopped short of; every chunk before it is still sent. */
  let neverStaged: number | undefined
  const takeNextIndex = () => {
    const index = ledger.nextMissing(cursor)
    cursor = index + 1
    return index
  }

  const lane = async () => {
    for (;;) {
      const index = takeNextIndex()
      if (index >= ledger.chunkCount) return
      if (!(await source.waitForStaged(index, stop.signal))) {
        // Generation stopped (storage full): this lane is done, the others finish the chunks
        // that were staged before it, and the drain then reports why generation stopped.
        neverStaged = Math.min(neverStaged ?? index, index)
        return
      }
      const chunk = source.takeHandoff(index) ?? (await reader.read(index))
      if (!chunk) throw new ChunkMissingError(index)
      const ack = await callWithRetry(`chunk ${index}`, (requestSignal) => transport.putChunk(batchId, chunk, requestSignal), {
        ...options.retry,
        chunkIndex: index,
        recovery,
        signal: stop.signal,
        onNotice: (notice) => options.onNotice?.(notice, index),
      })
      ledger.add(index)
      reaper.add(index)
      options.onAck?.(index, ack)
    }
  }

  const lanes = Array.from({ length: Math.max(1, uploadsInFlight) }, () =>
    lane().catch((error: unknown) => {
      stop.abort(error)
      throw error
    }),
  )
  const results = await Promise.allSettled(lanes)
  await reaper.flush()
  unlink()
  signal.throwIfAborted()
  const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected')
  // The first lane to fail aborted the others; report its error, not their aborts.
  if (failure) throw stop.signal.reason ?? failure.reason
  if (neverStaged !== undefined) throw source.stopReason ?? new ChunkMissingError(neverStaged)
}
