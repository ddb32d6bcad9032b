// Scripted stand-ins for the pipeline's ports: an in-memory server with a script of faults,
// an in-memory staging store, and connectivity whose clock and network the test controls.
import { CHUNK_SIZE, SIGNATURE_LENGTH, chunkCount, toRanges, type BatchStatus, type ChunkAck, type CreateBatchBody } from '@boxoffice/tickets'
import { abortable } from '../../../shared/core/abort.ts'
import { signChunk } from '../generation-run.ts'
import type { Outcome, RequestFailure } from '../../../shared/core/request-failure.ts'
import type { BatchTransport, Connectivity, StagedChunk, StagingStore, TicketSigner } from '../../ports.ts'

export type Fault = 'drop-request' | 'drop-response' | { status: number; code?: string; retryAfterMs?: number }

export class FakeServer implements BatchTransport {
  batches = new Map<string, { body: CreateBatchBody; chunks: Map<number, string>; state: BatchStatus['state'] }>()
  /** Faults applied to the next chunk PUTs, in order; each is used once. */
  chunkFaults: Fault[] = []
  putCalls: number[] = []
  /** Called at the start of each PUT; lets a test hold a request open. */
  beforePut?: (index: number) => Promise<void>

  async registerBatch(body: CreateBatchBody): Promise<Outcome<BatchStatus>> {
    if (!this.batches.has(body.id)) this.batches.set(body.id, { body, chunks: new Map(), state: 'open' })
    return { ok: true, value: this.status(body.id) }
  }

  async getBatchStatus(batchId: string): Promise<Outcome<BatchStatus>> {
    if (!this.batches.has(batchId)) return httpFailure(404, 'BATCH_NOT_FOUND')
    return { ok: true, value: this.status(batchId) }
  }

  async putChunk(batchId: string, chunk: StagedChunk): Promise<Outcome<ChunkAck>> {
    this.putCalls.push(chunk.index)
    await this.beforePut?.(chunk.index)
    const fault = this.chunkFaults.shift()
    if (fault === 'drop-request') return { ok: false, failure: { kind: 'network', message: 'connection reset' } }
    if (fault && typeof fault === 'object') return httpFailure(fault.status, fault.code ?? 'FAULT', fault.retryAfterMs)
    const batch = this.batches.get(batchId)
    if (!batch) return httpFailure(404, 'BATCH_NOT_FOUND')
    const digest = fakeTokensOf(chunk).join('\n')
    const existing = batch.chunks.get(chunk.index)
    if (existing !== undefined && existing !== digest) return httpFailure(409, 'CHUNK_CONFLICT')
    batch.chunks.set(chunk.index, digest)
    if (fault === 'drop-response') return { ok: false, failure: { kind: 'network', message: 'response lost' } }
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
    return [...this.chunks.keys()].filter((key) => key.startsWith(`${batchId}/`)).map((key) => Number(key.split('/')[1])).sort((a, b) => a - b)
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
