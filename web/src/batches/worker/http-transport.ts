import {
  SIGNATURE_CHUNK_MEDIA_TYPE,
  type BatchStatus,
  type ChunkAck,
  type ChunkRunAck,
  type ChunkRunResult,
  type CreateBatchBody,
} from '@boxoffice/tickets'
import type { Outcome } from '../../shared/core/request-failure.ts'
import { request } from '../../shared/io/request.ts'
import type { BatchTransport, StagedChunk } from '../ports.ts'

/** Longest a single request may take before it counts as a network failure and is retried. */
const REQUEST_TIMEOUT_MS = 30_000

/** The upload core's calls to the API, over the one request function page and worker share. */
export class HttpBatchTransport implements BatchTransport {
  constructor(private readonly apiBase: string) {}

  registerBatch(body: CreateBatchBody, signal: AbortSignal) {
    return request<BatchStatus>('POST', `${this.apiBase}/batches`, { body, signal, timeoutMs: REQUEST_TIMEOUT_MS })
  }
  getBatchStatus(batchId: string, signal: AbortSignal) {
    return request<BatchStatus>('GET', `${this.apiBase}/batches/${batchId}`, { signal, timeoutMs: REQUEST_TIMEOUT_MS })
  }
  /** The chunk's signatures as they are (64 bytes a ticket): random bytes, so nothing to gain from gzip. */
  putChunk(batchId: string, chunk: StagedChunk, signal: AbortSignal) {
    const body = { bytes: chunk.signatures, mediaType: SIGNATURE_CHUNK_MEDIA_TYPE }
    return request<ChunkAck>('PUT', `${this.apiBase}/batches/${batchId}/chunks/${chunk.index}`, {
      body,
      signal,
      timeoutMs: REQUEST_TIMEOUT_MS,
    })
  }
  /** The run's signatures back to back, one copy into one buffer for the request. */
  async putChunkRun(batchId: string, chunks: readonly StagedChunk[], signal: AbortSignal): Promise<Outcome<ChunkRunResult[]>> {
    const bytes = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.signatures.length, 0))
    let offset = 0
    for (const chunk of chunks) {
      bytes.set(chunk.signatures, offset)
      offset += chunk.signatures.length
    }
    const range = `${chunks[0]!.index}-${chunks.at(-1)!.index}`
    const outcome = await request<ChunkRunAck>('PUT', `${this.apiBase}/batches/${batchId}/chunks/${range}`, {
      body: { bytes, mediaType: SIGNATURE_CHUNK_MEDIA_TYPE },
      signal,
      timeoutMs: REQUEST_TIMEOUT_MS,
    })
    return outcome.ok ? { ok: true, value: outcome.value.results } : outcome
  }
  completeBatch(batchId: string, signal: AbortSignal) {
    return request<BatchStatus>('POST', `${this.apiBase}/batches/${batchId}/complete`, { signal, timeoutMs: REQUEST_TIMEOUT_MS })
  }
  cancelBatch(batchId: string, signal: AbortSignal) {
    return request<BatchStatus>('POST', `${this.apiBase}/batches/${batchId}/cancel`, { signal, timeoutMs: REQUEST_TIMEOUT_MS })
  }
}
