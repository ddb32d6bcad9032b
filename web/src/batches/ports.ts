// The upload core's view of the outside world. The worker plugs in fetch, IndexedDB and
// navigator.onLine; tests plug in scripted fakes.
import type { BatchStatus, ChunkAck, CreateBatchBody, Range } from '@boxoffice/tickets'
import type { Outcome } from '../shared/core/request-failure.ts'

/**
 * One 50-ticket chunk as staged and uploaded: its tickets' Ed25519 signatures, 64 bytes each, in
 * serial order from `index × CHUNK_SIZE`. A token is the batch's fixed header, the serial and the
 * signature, so the signature is all a chunk needs to carry; one flat buffer is also the cheapest
 * thing to clone into IndexedDB and to send.
 */
export interface StagedChunk {
  index: number
  signatures: Uint8Array<ArrayBuffer>
}

/** Signs a batch's tickets (WebCrypto Ed25519 in the worker; a fake in tests). */
export interface TicketSigner {
  sign(serial: number): Promise<Uint8Array<ArrayBuffer>>
  /** The full token, for the few tickets the page previews. */
  token(serial: number, signature: Uint8Array): string
}

/** Every call the pipeline makes to the API. Implementations never throw for HTTP or network failures. */
export interface BatchTransport {
  registerBatch(body: CreateBatchBody, signal: AbortSignal): Promise<Outcome<BatchStatus>>
  getBatchStatus(batchId: string, signal: AbortSignal): Promise<Outcome<BatchStatus>>
  putChunk(batchId: string, chunk: StagedChunk, signal: AbortSignal): Promise<Outcome<ChunkAck>>
  completeBatch(batchId: string, signal: AbortSignal): Promise<Outcome<BatchStatus>>
  cancelBatch(batchId: string, signal: AbortSignal): Promise<Outcome<BatchStatus>>
}

/** Local staging of generated tickets. A staged chunk must stay until the server acknowledged it. */
export interface StagingStore {
  /** Stages chunks and records `generatedCount` in one transaction, so progress never runs ahead of data. */
  stageChunks(batchId: string, chunks: StagedChunk[], generatedCount: number): Promise<void>
  /** The staged chunks with index in `first … last`, in index order. */
  readChunks(batchId: string, first: number, last: number): Promise<StagedChunk[]>
  /** Deletes staged chunks in inclusive index ranges; only for chunks the server acknowledged. */
  deleteChunks(batchId: string, ranges: readonly Range[]): Promise<void>
  markRegistered(batchId: string): Promise<void>
}

/** Time and network reachability, so the core never touches real timers or `navigator`. */
export interface Connectivity {
  isOnline(): boolean
  waitUntilOnline(signal: AbortSignal): Promise<void>
  sleep(ms: number, signal: AbortSignal): Promise<void>
  now(): number
}

/** Lets uploads wait, without failing, until the user signs in again after the session ended. */
export interface SessionGate {
  /** Resolves when a sign-in may have happened; the caller then tries its request again. */
  waitForSignIn(signal: AbortSignal): Promise<void>
}
