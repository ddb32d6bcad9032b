// The tuning of a batch's run, in one place. The figures behind each value are in
// docs/browser-pipeline.md ("Staging", "Memory", "Upload").

export interface PipelineSettings {
  /** Chunks staged per IndexedDB transaction: each transaction costs a commit and a rewrite of the batch record. */
  chunksPerTransaction: number
  /** Staged chunks kept in memory for the drain, so it need not read them back. */
  handoffLimit: number
  /** Chunk uploads in flight at once: enough to hide about 40 ms of Wi-Fi latency; loopback is no slower for it. */
  uploadsInFlight: number
  /** Chunks read back from staging per IndexedDB request, when the handoff does not hold them. */
  readAhead: number
  /** Acknowledged chunks deleted from staging per transaction. */
  deleteBatch: number
}

export const PIPELINE_SETTINGS: Readonly<PipelineSettings> = {
  chunksPerTransaction: 8,
  handoffLimit: 16,
  uploadsInFlight: 8,
  readAhead: 32,
  deleteBatch: 32,
}
