import { SIGNATURE_CHUNK_MEDIA_TYPE, type BatchStatus, type ChunkAck, type CreateBatchBody } from '@boxoffice/tickets'
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
  completeBatch(batchId: string, signal: AbortSignal) {
    return request<BatchStatus>('POST', `${this.apiBase}/batches/${batchId}/complete`, { signal, timeoutMs: REQUEST_TIMEOUT_MS })
  }
  cancelBatch(batchId: string, signal: AbortSignal) {
    return request<BatchStatus>('POST', `${this.apiBase}/batches/${batchId}/cancel`, { signal, timeoutMs: REQUEST_TIMEOUT_MS })
  }
}
