import type { ChunkAck, ChunkRunResult } from '@boxoffice/tickets'
import { abortable, linkedAbortController } from '../../shared/core/abort.ts'
import { classifyFailure, type HttpFailure, type Outcome, type RequestFailure } from '../../shared/core/request-failure.ts'
import type { BatchTransport, StagedChunk, StagingStore } from '../ports.ts'
import type { AckLedger } from './ack-ledger.ts'
import { AckedChunkReaper } from './acked-chunk-reaper.ts'
import { callWithRetry, RequestRejectedError, type RetryContext, type RetryNotice } from './call-with-retry.ts'
import type { PipelineSettings } from './pipeline-settings.ts'
import { RecoveryBeacon } from './recovery-beacon.ts'
import { isRetryable, retryDelayMs } from './retry-policy.ts'
import { StagedChunkReader } from './staged-chunk-reader.ts'
import { UploadWindow, type RequestOutcome } from './upload-window.ts'

/** Where the drain gets chunks from: the generator's frontier and its in-memory handoff. */
export interface ChunkSource {
  /** Chunks `0 … stagedChunks − 1` are staged (every earlier one, whether or not still held). */
  readonly stagedChunks: number
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
  /** Uploads in flight, runs, and how staging is read back and cleared. */
  settings: Pick<
    PipelineSettings,
    'uploadsInFlight' | 'minUploadsInFlight' | 'maxRunChunks' | 'initialRunChunks' | 'readAhead' | 'deleteBatch'
  >
  onAck?: (index: number, ack: ChunkAck) => void
  onNotice?: (notice: RetryNotice, chunkIndex: number) => void
  /** A staged chunk could not be deleted after its ack; it is cleared on the next resume. */
  onCleanupError?: (error: unknown) => void
}

/**
 * Uploads every chunk the ledger lacks, in index order, in runs of consecutive staged chunks (one
 * request each; a run of one is a single-chunk upload) with several requests in flight, both as
 * the upload window allows (upload-window.ts). A chunk leaves staging only after the server
 * acknowledged it. The first chunk the server rejects for good stops the drain; the chunks still
 * staged stay staged. When generation stops early, every chunk it did stage is still sent before
 * the drain fails with generation's error.
 */
export async function drainChunks(options: DrainOptions, signal: AbortSignal): Promise<void> {
  const { batchId, ledger, source, store, transport } = options
  const { controller: stop, unlink } = linkedAbortController(signal)

  const { uploadsInFlight, minUploadsInFlight, maxRunChunks, initialRunChunks, readAhead, deleteBatch } = options.settings
  const reader = new StagedChunkReader(store, batchId, readAhead)
  const reaper = new AckedChunkReaper(store, batchId, deleteBatch, (error) => options.onCleanupError?.(error))
  const window = new UploadWindow({
    initialRunChunks,
    maxRunChunks,
    maxInFlight: uploadsInFlight,
    minInFlight: minUploadsInFlight,
    slowFactor: 4,
    slowFloorMs: 1_000,
  })
  const lanes = new LaneGate(() => window.inFlight)
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
  /** Claims the chunks after `first` that are missing, staged and not yet claimed, up to the window's run. */
  const extendRun = (first: number): number[] => {
    const run = [first]
    while (run.length < window.runChunks) {
      const next = first + run.length
      if (cursor !== next || next >= ledger.chunkCount || next >= source.stagedChunks || ledger.has(next)) break
      cursor = next + 1
      run.push(next)
    }
    return run
  }
  const acknowledge = (index: number, ack: ChunkAck) => {
    ledger.add(index)
    reaper.add(index)
    options.onAck?.(index, ack)
  }
  const retryContext = (chunkIndex: number) => ({
    ...options.retry,
    chunkIndex,
    recovery,
    signal: stop.signal,
    onNotice: (notice: RetryNotice) => options.onNotice?.(notice, chunkIndex),
  })
  /** Each attempt's outcome goes to the window, so that the next runs and requests fit the network. */
  const measured = async <T>(chunks: number, call: () => Promise<Outcome<T>>): Promise<Outcome<T>> => {
    const started = options.retry.connectivity.now()
    const outcome = await call()
    if (outcome.ok) window.report({ kind: 'success', chunks, durationMs: options.retry.connectivity.now() - started })
    else window.report(windowSignal(outcome.failure))
    return outcome
  }

  /**
   * Sends the claimed chunks in runs no longer than the window allows at each attempt (so that a
   * run retried after a loss goes up shorter), until each is acknowledged or one is refused for
   * good. A chunk the server could not take now (its own 503 within a run) waits out its backoff
   * and goes again; the chunks acknowledged beside it are not resent.
   */
  const upload = async (claimed: StagedChunk[]) => {
    let pending = claimed
    let chunkRetries = 0
    while (pending.length > 0) {
      let sent: StagedChunk[] = []
      const results = await callWithRetry(
        pending.length === 1 ? `chunk ${pending[0]!.index}` : `chunks ${pending[0]!.index}–${pending.at(-1)!.index}`,
        (requestSignal) => {
          sent = consecutivePrefix(pending, window.runChunks)
          return measured(sent.length, () => send(sent, requestSignal))
        },
        retryContext(pending[0]!.index),
      )
      pending = pending.slice(sent.length)
      const again: { chunk: StagedChunk; failure: HttpFailure }[] = []
      let refused: RequestRejectedError | undefined
      for (const [i, result] of results.entries()) {
        const chunk = sent[i]!
        if (result.status === 200 && result.ack) acknowledge(chunk.index, result.ack)
        else {
          const failure = failureOfResult(result)
          if (isRetryable(failure)) again.push({ chunk, failure })
          else refused ??= new RequestRejectedError(`chunk ${chunk.index}`, failure, chunk.index)
        }
      }
      // Its neighbours are acknowledged first: a refused chunk does not cost them their place.
      if (refused) throw refused
      if (again.length === 0) continue
      chunkRetries++
      const { failure } = again[0]!
      const delayMs = retryDelayMs(options.retry.policy, chunkRetries, failure, options.retry.random)
      options.onNotice?.(
        { kind: 'retrying', operation: `chunk ${again[0]!.chunk.index}`, attempt: chunkRetries, delayMs, failure },
        again[0]!.chunk.index,
      )
      await options.retry.connectivity.sleep(delayMs, stop.signal)
      pending = [...again.map(({ chunk }) => chunk), ...pending]
    }
  }

  /** One request: a single-chunk upload, or a run; either way one result per chunk. */
  const send = async (chunks: StagedChunk[], requestSignal: AbortSignal): Promise<Outcome<ChunkRunResult[]>> => {
    if (chunks.length > 1) return transport.putChunkRun(batchId, chunks, requestSignal)
    const outcome = await transport.putChunk(batchId, chunks[0]!, requestSignal)
    return outcome.ok ? { ok: true, value: [{ index: chunks[0]!.index, status: 200, ack: outcome.value }] } : outcome
  }

  const lane = async () => {
    for (;;) {
      await lanes.enter(stop.signal)
      try {
        const first = takeNextIndex()
        if (first >= ledger.chunkCount) return
        if (!(await source.waitForStaged(first, stop.signal))) {
          // Generation stopped (storage full): this lane is done, the others finish the chunks
          // that were staged before it, and the drain then reports why generation stopped.
          neverStaged = Math.min(neverStaged ?? first, first)
          return
        }
        const chunks: StagedChunk[] = []
        for (const index of extendRun(first)) {
          const chunk = source.takeHandoff(index) ?? (await reader.read(index))
          if (!chunk) throw new ChunkMissingError(index)
          chunks.push(chunk)
        }
        await upload(chunks)
      } finally {
        lanes.leave()
      }
    }
  }

  const running = Array.from({ length: Math.max(1, uploadsInFlight) }, () =>
    lane().catch((error: unknown) => {
      stop.abort(error)
      throw error
    }),
  )
  const results = await Promise.allSettled(running)
  await reaper.flush()
  unlink()
  signal.throwIfAborted()
  const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected')
  // The first lane to fail aborted the others; report its error, not their aborts.
  if (failure) throw stop.signal.reason ?? failure.reason
  if (neverStaged !== undefined) throw source.stopReason ?? new ChunkMissingError(neverStaged)
}

/**
 * The first chunks of `chunks` whose indexes follow one another, at most `most` (at least one): a
 * run is consecutive chunks, and a chunk sent again after its own refusal sits apart from the
 * chunks after its run.
 */
function consecutivePrefix(chunks: readonly StagedChunk[], most: number): StagedChunk[] {
  let length = 1
  while (length < Math.max(1, most) && length < chunks.length && chunks[length]!.index === chunks[0]!.index + length) length++
  return chunks.slice(0, length)
}

/** What a failed attempt says about the network (a lost request) or the server (asking for less). */
function windowSignal(failure: RequestFailure): RequestOutcome {
  if (failure.kind === 'network' || failure.status === 408) return { kind: 'lost' }
  return classifyFailure(failure) === 'busy' || failure.status >= 500 ? { kind: 'busy' } : { kind: 'lost' }
}

/** A chunk's refusal within a run, as the failure its single upload would have met. */
function failureOfResult(result: ChunkRunResult): HttpFailure {
  return {
    kind: 'http',
    status: result.status,
    code: result.error?.code ?? 'UNKNOWN',
    message: result.error?.message ?? `server answered ${result.status}`,
    retryAfterMs: result.retryAfterSeconds === undefined ? undefined : result.retryAfterSeconds * 1000,
    details: result.error?.details,
  }
}

/** At most `capacity()` lanes at work at once; the others wait their turn. */
class LaneGate {
  #active = 0
  #waiting: (() => void)[] = []

  constructor(private readonly capacity: () => number) {}

  async enter(signal: AbortSignal): Promise<void> {
    while (this.#active >= this.capacity()) {
      await abortable(signal, (resolve) => {
        this.#waiting.push(resolve)
        return () => (this.#waiting = this.#waiting.filter((waiter) => waiter !== resolve))
      })
    }
    this.#active++
  }

  leave(): void {
    this.#active--
    for (const wake of this.#waiting.splice(0)) wake()
  }
}
