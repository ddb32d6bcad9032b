// What the batches core (core/) needs from the outside world. The ticket worker plugs in fetch,
// IndexedDB, navigator.onLine, Web Locks and WebCrypto (worker/ticket-worker.ts); tests plug in
// scripted fakes (core/testing/fakes.ts).
import type { BatchStatus, ChunkAck, ChunkRunResult, CreateBatchBody, Range } from '@boxoffice/tickets'
import type { Outcome } from '../shared/core/request-failure.ts'
import type { BatchProgress } from './core/batch-progress.ts'
import type { BatchFailure, LocalBatch } from './core/local-batch.ts'

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
  /** Consecutive chunks in one request; the outcome holds one result per chunk, each as its single upload would have answered. */
  putChunkRun(batchId: string, chunks: readonly StagedChunk[], signal: AbortSignal): Promise<Outcome<ChunkRunResult[]>>
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
  /** Monotonic milliseconds (performance.now()), for rates. */
  now(): number
}

/** Lets uploads wait, without failing, until the user signs in again after the session ended. */
export interface SessionGate {
  /** Resolves when a sign-in may have happened; the caller then tries its request again. */
  waitForSignIn(signal: AbortSignal): Promise<void>
}

/** A local batch with its signing key. The key is a non-extractable CryptoKey: IndexedDB can hold it, nobody can read it. */
export interface StoredBatch extends LocalBatch {
  privateKey: CryptoKey
}

/** Where the batches of this browser are kept until the server holds all of each. */
export interface BatchStore extends StagingStore {
  createBatch(batch: StoredBatch): Promise<void>
  getBatch(batchId: string): Promise<StoredBatch | undefined>
  listBatches(): Promise<StoredBatch[]>
  setPaused(batchId: string, paused: boolean): Promise<void>
  setFailure(batchId: string, failure: BatchFailure | undefined): Promise<void>
  /** Removes everything this browser holds of a batch: staged tickets and the private key. */
  deleteBatch(batchId: string): Promise<void>
}

/** Lets one tab at a time run a batch, across the tabs of this browser. */
export interface BatchLocks {
  /**
   * Runs `task` holding the lock `name`, and lets go when it settles. If another tab holds the
   * lock, calls `onHeldElsewhere` and waits in the lock's queue (so this tab takes over when that
   * one closes) until `signal` aborts, which rejects with its reason.
   */
  hold(name: string, signal: AbortSignal, onHeldElsewhere: () => void, task: () => Promise<void>): Promise<void>
}

/** Ids and keys for new batches, and each batch's signer. */
export interface BatchKeys {
  newBatchId(): string
  /** A fresh key pair: the public key as the API takes it, and the private key to keep. */
  generateKeys(): Promise<{ publicKey: string; privateKey: CryptoKey }>
  signer(batch: StoredBatch): TicketSigner
}

/** Where each batch's progress goes. `urgent`: a change the page must see at once (a phase, a failure). */
export interface ProgressSink {
  report(progress: BatchProgress, urgent: boolean): void
}

/** The console lines a batch writes (the console in the worker; a recorder in tests). */
export type BatchLog = Pick<Console, 'log' | 'warn' | 'error'>
