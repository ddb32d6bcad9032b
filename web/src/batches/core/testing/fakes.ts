// Scripted stand-ins for the batches core's ports: an in-memory server with a script of faults,
// in-memory staging and batch stores, connectivity whose clock and network the test controls,
// pretend tabs holding Web Locks, fake keys, and recorders for progress and console lines.
import {
  CHUNK_SIZE,
  SIGNATURE_LENGTH,
  chunkCount,
  toRanges,
  type BatchStatus,
  type ChunkAck,
  type ChunkRunResult,
  type CreateBatchBody,
} from '@boxoffice/tickets'
import { abortable } from '../../../shared/core/abort.ts'
import { signChunk } from '../generation-run.ts'
import type { Outcome, RequestFailure } from '../../../shared/core/request-failure.ts'
import type {
  BatchKeys,
  BatchLocks,
  BatchLog,
  BatchStore,
  BatchTransport,
  Connectivity,
  ProgressSink,
  StagedChunk,
  StagingStore,
  StoredBatch,
  TicketSigner,
} from '../../ports.ts'
import type { BatchProgress } from '../batch-progress.ts'
import type { BatchFailure } from '../local-batch.ts'

/** 'pass': this request goes through as if no fault were scripted (to script the ones after it). */
export type Fault = 'pass' | 'drop-request' | 'drop-response' | { status: number; code?: string; retryAfterMs?: number }

export class FakeServer implements BatchTransport {
  batches = new Map<string, { body: CreateBatchBody; chunks: Map<number, string>; state: BatchStatus['state'] }>()
  /** Faults applied to the next chunk PUTs (single or run), in order; each is used once. */
  chunkFaults: Fault[] = []
  /** Every chunk index sent, single or within a run, in the order sent. */
  putCalls: number[] = []
  /** The chunks of each run request, in the order sent. */
  runCalls: number[][] = []
  /** A chunk answered with this status within the next run that carries it (used once each). */
  runChunkFaults = new Map<number, { status: number; code?: string; retryAfterSeconds?: number }>()
  /** Called at the start of each PUT; lets a test hold a request open. */
  beforePut?: (index: number) => Promise<void>

  /** The name of each ticket type the server knows; any other is called "General". */
  ticketTypeNames = new Map<string, string>()
  /** Tickets the ticket types have left; a creation beyond is refused as CAPACITY_EXCEEDED. */
  capacityRemaining = Number.POSITIVE_INFINITY

  async registerBatch(body: CreateBatchBody): Promise<Outcome<BatchStatus>> {
    if (!this.batches.has(body.id)) {
      if (body.quantity > this.capacityRemaining) return httpFailure(409, 'CAPACITY_EXCEEDED')
      this.capacityRemaining -= body.quantity
      this.batches.set(body.id, { body, chunks: new Map(), state: 'open' })
    }
    return { ok: true, value: this.status(body.id) }
  }

  /** GET status requests answered. */
  statusCalls = 0

  async getBatchStatus(batchId: string): Promise<Outcome<BatchStatus>> {
    this.statusCalls++
    if (!this.batches.has(batchId)) return httpFailure(404, 'BATCH_NOT_FOUND')
    return { ok: true, value: this.status(batchId) }
  }

  async putChunk(batchId: string, chunk: StagedChunk): Promise<Outcome<ChunkAck>> {
    this.putCalls.push(chunk.index)
    await this.beforePut?.(chunk.index)
    const fault = this.chunkFaults.shift()
    if (fault === 'drop-request') return { ok: false, failure: { kind: 'network', message: 'connection reset' } }
    if (fault && typeof fault === 'object') return httpFailure(fault.status, fault.code ?? 'FAULT', fault.retryAfterMs)
    const committed = this.#commit(batchId, chunk)
    if (fault === 'drop-response') return { ok: false, failure: { kind: 'network', message: 'response lost' } }
    return committed
  }

  /** One request for the run; each chunk as a single upload of it would go (faults apply to the whole request). */
  async putChunkRun(batchId: string, chunks: readonly StagedChunk[]): Promise<Outcome<ChunkRunResult[]>> {
    this.runCalls.push(chunks.map((chunk) => chunk.index))
    this.putCalls.push(...chunks.map((chunk) => chunk.index))
    // As the API: a run is consecutive chunks (its URL names the first and the last).
    if (chunks.some((chunk, i) => chunk.index !== chunks[0]!.index + i)) return httpFailure(400, 'INVALID_REQUEST')
    await this.beforePut?.(chunks[0]!.index)
    const fault = this.chunkFaults.shift()
    if (fault === 'drop-request') return { ok: false, failure: { kind: 'network', message: 'connection reset' } }
    if (fault && typeof fault === 'object') return httpFailure(fault.status, fault.code ?? 'FAULT', fault.retryAfterMs)
    const results = chunks.map((chunk): ChunkRunResult => {
      const refused = this.runChunkFaults.get(chunk.index)
      if (refused) {
        this.runChunkFaults.delete(chunk.index)
        return {
          index: chunk.index,
          status: refused.status,
          error: { code: refused.code ?? 'FAULT', message: `${refused.status}` },
          retryAfterSeconds: refused.retryAfterSeconds,
        }
      }
      const outcome = this.#commit(batchId, chunk)
      if (outcome.ok) return { index: chunk.index, status: 200, ack: outcome.value }
      const failure = outcome.failure as Extract<RequestFailure, { kind: 'http' }>
      return { index: chunk.index, status: failure.status, error: { code: failure.code, message: failure.message } }
    })
    if (fault === 'drop-response') return { ok: false, failure: { kind: 'network', message: 'response lost' } }
    return { ok: true, value: results }
  }

  #commit(batchId: string, chunk: StagedChunk): Outcome<ChunkAck> {
    const batch = this.batches.get(batchId)
    if (!batch) return httpFailure(404, 'BATCH_NOT_FOUND')
    const digest = fakeTokensOf(chunk).join('\n')
    const existing = batch.chunks.get(chunk.index)
    if (existing !== undefined && existing !== digest) return httpFailure(409, 'CHUNK_CONFLICT')
    batch.chunks.set(chunk.index, digest)
    const ack: ChunkAck = {
      batchId,
      index: chunk.index,
      digest,
      duplicate: existing !== undefined,
      chunksReceived: batch.chunks.size,
      ticketsReceived: this.ticketCount(batchId),
    }
    return { ok: true, value: ack }
  }

  async completeBatch(batchId: string): Promise<Outcome<BatchStatus>> {
    const batch = this.batches.get(batchId)!
    if (batch.chunks.size !== chunkCount(batch.body.quantity)) return httpFailure(409, 'BATCH_INCOMPLETE')
    batch.state = 'completed'
    return { ok: true, value: this.status(batchId) }
  }

  async cancelBatch(batchId: string): Promise<Outcome<BatchStatus>> {
    this.batches.get(batchId)!.state = 'cancelled'
    return { ok: true, value: this.status(batchId) }
  }

  /** Every serial the server holds, in order, from the chunk digests. */
  tokens(batchId: string): string[] {
    const chunks = [...this.batches.get(batchId)!.chunks.entries()].sort(([a], [b]) => a - b)
    return chunks.flatMap(([, digest]) => digest.split('\n'))
  }

  ticketCount(batchId: string): number {
    return this.tokens(batchId).length
  }

  status(batchId: string): BatchStatus {
    const batch = this.batches.get(batchId)!
    const indexes = [...batch.chunks.keys()].sort((a, b) => a - b)
    return {
      ...batch.body,
      eventId: 'event-1',
      event: 'Gala',
      ticketType: this.ticketTypeNames.get(batch.body.ticketTypeId) ?? 'General',
      price: { amountMinor: 2500, currency: 'EUR' },
      state: batch.state,
      chunkSize: CHUNK_SIZE,
      chunkCount: chunkCount(batch.body.quantity),
      chunksReceived: indexes.length,
      ticketsReceived: this.ticketCount(batchId),
      createdAt: new Date(0).toISOString(),
      finishedAt: null,
      committedChunks: toRanges(indexes),
    }
  }
}

function httpFailure(status: number, code: string, retryAfterMs?: number): { ok: false; failure: RequestFailure } {
  return { ok: false, failure: { kind: 'http', status, code, message: `${status} ${code}`, retryAfterMs } }
}

export class MemoryStagingStore implements StagingStore {
  chunks = new Map<string, StagedChunk>()
  generatedCount = new Map<string, number>()
  registered = new Set<string>()
  transactions = 0
  /** Throws from stageChunks once this many transactions have committed. */
  failAfterTransactions = Infinity

  async stageChunks(batchId: string, chunks: StagedChunk[], generatedCount: number) {
    if (this.transactions >= this.failAfterTransactions) throw new DOMException('quota exceeded', 'QuotaExceededError')
    this.transactions++
    for (const chunk of chunks) this.chunks.set(`${batchId}/${chunk.index}`, structuredClone(chunk))
    this.generatedCount.set(batchId, generatedCount)
  }
  reads = 0
  async readChunks(batchId: string, first: number, last: number) {
    this.reads++
    const chunks: StagedChunk[] = []
    for (let index = first; index <= last; index++) {
      const chunk = this.chunks.get(`${batchId}/${index}`)
      if (chunk) chunks.push(structuredClone(chunk))
    }
    return chunks
  }
  async deleteChunks(batchId: string, ranges: readonly [number, number][]) {
    for (const [first, last] of ranges) for (let i = first; i <= last; i++) this.chunks.delete(`${batchId}/${i}`)
  }
  async markRegistered(batchId: string) {
    this.registered.add(batchId)
  }
  stagedIndexes(batchId: string): number[] {
    return [...this.chunks.keys()]
      .filter((key) => key.startsWith(`${batchId}/`))
      .map((key) => Number(key.split('/')[1]))
      .sort((a, b) => a - b)
  }
}

/** Sleeps resolve at once but are recorded; the network is up until the test says otherwise. */
export class ScriptedConnectivity implements Connectivity {
  online = true
  sleeps: number[] = []
  offlineWaits = 0
  #onlineWaiters = new Set<() => void>()
  #waitedOn: (() => void)[] = []
  /** Runs before each sleep resolves; a test can flip the network here. */
  onSleep?: (ms: number) => void

  isOnline() {
    return this.online
  }
  async waitUntilOnline(signal: AbortSignal) {
    this.offlineWaits++
    if (this.online) return
    await abortable(signal, (resolve) => {
      const wake = () => resolve()
      this.#onlineWaiters.add(wake)
      for (const notify of this.#waitedOn.splice(0)) notify()
      return () => this.#onlineWaiters.delete(wake)
    })
  }
  async sleep(ms: number, signal: AbortSignal) {
    this.sleeps.push(ms)
    this.onSleep?.(ms)
    signal.throwIfAborted()
  }
  now() {
    return 0
  }
  /** Resolves once something waits for the network while offline (at once if something does now). */
  untilWaitedOn(): Promise<void> {
    if (this.#onlineWaiters.size > 0) return Promise.resolve()
    return new Promise((resolve) => this.#waitedOn.push(resolve))
  }
  setOnline(online: boolean) {
    this.online = online
    if (online) for (const wake of [...this.#onlineWaiters]) wake()
  }
}

/**
 * A deterministic stand-in for Ed25519: the pipeline only needs distinct, repeatable signatures.
 * Each "signature" is the fake token's ASCII, zero-padded to 64 bytes.
 */
export function fakeSigner(batchId: string): TicketSigner {
  const token = (serial: number) => `${batchId.slice(0, 8).toUpperCase()}${serial}`
  return {
    async sign(serial) {
      const signature = new Uint8Array(SIGNATURE_LENGTH)
      signature.set(new TextEncoder().encode(token(serial)))
      return signature
    },
    token,
  }
}

/** The fake tokens a chunk of fakeSigner's signatures stands for. */
export function fakeTokensOf(chunk: StagedChunk): string[] {
  const tokens: string[] = []
  for (let offset = 0; offset < chunk.signatures.length; offset += SIGNATURE_LENGTH) {
    tokens.push(new TextDecoder().decode(chunk.signatures.subarray(offset, offset + SIGNATURE_LENGTH)).replace(/\0+$/, ''))
  }
  return tokens
}

/** Chunk `index` of a batch, signed by `signer` as generation signs it. */
export async function fakeChunk(signer: TicketSigner, index: number, size = CHUNK_SIZE): Promise<StagedChunk> {
  const first = index * CHUNK_SIZE
  return { index, signatures: await signChunk(signer, first, first + size) }
}

export function deferred<T = void>() {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

/** The supervisor's store: batches with their staged chunks; `stageChunks` advances the batch's count as IndexedDB does. */
export class MemoryBatchStore extends MemoryStagingStore implements BatchStore {
  batches = new Map<string, StoredBatch>()

  async createBatch(batch: StoredBatch) {
    if (this.batches.has(batch.id)) throw new Error(`batch ${batch.id} exists`)
    this.batches.set(batch.id, { ...batch })
  }
  async getBatch(batchId: string) {
    const batch = this.batches.get(batchId)
    return batch && { ...batch }
  }
  async listBatches() {
    return [...this.batches.values()].map((batch) => ({ ...batch }))
  }
  override async stageChunks(batchId: string, chunks: StagedChunk[], generatedCount: number) {
    const batch = this.batches.get(batchId)
    if (!batch) throw new Error(`batch ${batchId} is no longer staged`)
    await super.stageChunks(batchId, chunks, generatedCount)
    batch.generatedCount = generatedCount
  }
  override async markRegistered(batchId: string) {
    await super.markRegistered(batchId)
    this.#update(batchId, { registered: true })
  }
  async setPaused(batchId: string, paused: boolean) {
    this.#update(batchId, { paused })
  }
  async setFailure(batchId: string, failure: BatchFailure | undefined) {
    this.#update(batchId, { failure })
  }
  async deleteBatch(batchId: string) {
    this.batches.delete(batchId)
    for (const index of this.stagedIndexes(batchId)) this.chunks.delete(`${batchId}/${index}`)
  }
  #update(batchId: string, change: Partial<StoredBatch>) {
    const batch = this.batches.get(batchId)
    if (batch) Object.assign(batch, change)
  }
}

/**
 * Web Locks across pretend tabs: `heldElsewhere(name)` makes another tab hold a lock until the
 * returned function lets go. Waiting for a lock ends when it is let go or the signal aborts.
 */
export class FakeLocks implements BatchLocks {
  #held = new Map<string, { release: Promise<void> }>()
  #waiting = new Map<string, number>()

  /** Another tab takes the lock; the function returned lets go, and resolves once it has. */
  heldElsewhere(name: string): () => Promise<void> {
    const letGo = deferred()
    const release = letGo.promise.then(() => void this.#held.delete(name))
    this.#held.set(name, { release })
    return () => {
      letGo.resolve()
      return release
    }
  }

  isHeld(name: string): boolean {
    return this.#held.has(name)
  }

  /** Waiters in the lock's queue. */
  waiting(name: string): number {
    return this.#waiting.get(name) ?? 0
  }

  async hold(name: string, signal: AbortSignal, onHeldElsewhere: () => void, task: () => Promise<void>): Promise<void> {
    const other = this.#held.get(name)
    if (other) {
      onHeldElsewhere()
      this.#waiting.set(name, this.waiting(name) + 1)
      await abortable(signal, (resolve) => {
        void other.release.then(resolve)
        return () => this.#waiting.set(name, this.waiting(name) - 1)
      })
    }
    const letGo = deferred()
    this.#held.set(name, { release: letGo.promise })
    try {
      await task()
    } finally {
      this.#held.delete(name)
      letGo.resolve()
    }
  }
}

/** Sequential batch ids, a stand-in key pair, and fakeSigner for each batch. */
export function fakeKeys(): BatchKeys {
  let next = 0
  return {
    newBatchId: () => `00000000-0000-4000-8000-${String(++next).padStart(12, '0')}`,
    generateKeys: async () => ({ publicKey: 'A'.repeat(43), privateKey: {} as CryptoKey }),
    signer: (batch) => fakeSigner(batch.id),
  }
}

/** Every progress report, and a way to wait for the first one that matches. */
export class RecordingProgress implements ProgressSink {
  reports: { progress: BatchProgress; urgent: boolean }[] = []
  #waiters: { matches: (progress: BatchProgress) => boolean; resolve: (progress: BatchProgress) => void }[] = []

  report(progress: BatchProgress, urgent: boolean) {
    this.reports.push({ progress, urgent })
    for (const waiter of [...this.#waiters]) {
      if (!waiter.matches(progress)) continue
      this.#waiters.splice(this.#waiters.indexOf(waiter), 1)
      waiter.resolve(progress)
    }
  }

  /** Resolves with the next report (or the latest one already made) that matches. */
  until(matches: (progress: BatchProgress) => boolean, { fromNow = false } = {}): Promise<BatchProgress> {
    const latest = this.reports.at(-1)?.progress
    if (!fromNow && latest && matches(latest)) return Promise.resolve(latest)
    const waiter = deferred<BatchProgress>()
    this.#waiters.push({ matches, resolve: waiter.resolve })
    return waiter.promise
  }

  phases(batchId: string): string[] {
    const phases: string[] = []
    for (const { progress } of this.reports) if (progress.id === batchId && phases.at(-1) !== progress.phase) phases.push(progress.phase)
    return phases
  }
}

/** Console lines, kept instead of printed. */
export function recordingLog(): BatchLog & { lines: string[] } {
  const lines: string[] = []
  const record = (...parts: unknown[]) => void lines.push(parts.map(String).join(' '))
  return { lines, log: record, warn: record, error: record }
}
