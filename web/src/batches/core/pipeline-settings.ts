// The tuning of a batch's run, in one place. The figures behind each value are in
// docs/browser-pipeline.md ("Staging", "Memory", "Upload").
import { MAX_RUN_CHUNKS } from '@boxoffice/tickets'

export interface PipelineSettings {
  /** Chunks staged per IndexedDB transaction: each transaction costs a commit and a rewrite of the batch record. */
  chunksPerTransaction: number
  /** Staged chunks kept in memory for the drain, so it need not read them back. */
  handoffLimit: number
  /** Upload requests in flight at most (and at the start): enough to hide about 40 ms of Wi-Fi latency. */
  uploadsInFlight: number
  /** …and at least, however often the server asks for fewer (429, 503). */
  minUploadsInFlight: number
  /** Chunks one request may carry (a run; the API takes up to MAX_RUN_CHUNKS)… */
  maxRunChunks: number
  /** …and the first runs carry, before the window grows or shrinks (8 chunks: 25 KB). */
  initialRunChunks: number
  /** Chunks read back from staging per IndexedDB request, when the handoff does not hold them. */
  readAhead: number
  /** Acknowledged chunks deleted from staging per transaction. */
  deleteBatch: number
}

export const PIPELINE_SETTINGS: Readonly<PipelineSettings> = {
  chunksPerTransaction: 8,
  handoffLimit: 16,
  uploadsInFlight: 8,
  minUploadsInFlight: 2,
  maxRunChunks: MAX_RUN_CHUNKS,
  initialRunChunks: 8,
  readAhead: 32,
  deleteBatch: 32,
}
