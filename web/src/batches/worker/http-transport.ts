import { SIGNATURE_CHUNK_MEDIA_TYPE, type BatchStatus, type ChunkAck, type CreateBatchBody, type ErrorBody } from '@boxoffice/tickets'
import type { BatchTransport, Outcome, StagedChunk } from '../ports.ts'
import { parseRetryAfter } from '../core/retry-policy.ts'
import { deadline } from '../../shared/core/abort.ts'

/** Longest a single request may take before it counts as a network failure and is retried. */
const REQUEST_TIMEOUT_MS = 30_000

export class HttpBatchTransport implements BatchTransport {
  constructor(private readonly apiBase: string) {}

  registerBatch(body: CreateBatchBody, signal: AbortSignal) {
    return this.#request<BatchStatus>('POST', '/batches', body, signal)
  }
  getBatchStatus(batchId: string, signal: AbortSignal) {
    return this.#request<BatchStatus>('GET', `/batches/${batchId}`, undefined, signal)
  }
  /** The chunk's signatures as they are (64 bytes a ticket): random bytes, so nothing to gain from gzip. */
  putChunk(batchId: string, chunk: StagedChunk, signal: AbortSignal) {
    const body: BinaryBody = { bytes: chunk.signatures, mediaType: SIGNATURE_CHUNK_MEDIA_TYPE }
    return this.#request<ChunkAck>('PUT', `/batches/${batchId}/chunks/${chunk.index}`, body, signal)
  }
  completeBatch(batchId: string, signal: AbortSignal) {
    return this.#request<BatchStatus>('POST', `/batches/${batchId}/complete`, undefined, signal)
  }
  cancelBatch(batchId: string, signal: AbortSignal) {
    return this.#request<BatchStatus>('POST', `/batches/${batchId}/cancel`, undefined, signal)
  }

  async #request<T>(method: string, path: string, body: unknown, signal: AbortSignal): Promise<Outcome<T>> {
    // The custom header is the API's CSRF check for requests without an Origin; the session
    // cookie rides along because the request is same-origin.
    const headers: Record<string, string> = { 'x-boxoffice-request': '1' }
    let payload: BodyInit | undefined
    if (isBinaryBody(body)) {
      headers['content-type'] = body.mediaType
      payload = body.bytes
    } else if (body !== undefined) {
      headers['content-type'] = 'application/json'
      payload = typeof body === 'string' ? body : JSON.stringify(body)
    }
    // Covers the answer's body too: a server that stalls mid-body is as dead as one that never answers.
    const limit = deadline(REQUEST_TIMEOUT_MS, signal)
    let response: Response
    let parsed: unknown
    try {
      try {
        response = await fetch(`${this.apiBase}${path}`, { method, headers, body: payload, signal: limit.signal, credentials: 'same-origin' })
      } catch (error) {
        signal.throwIfAborted()
        return { ok: false, failure: { kind: 'network', message: describeNetworkError(error) } }
      }
      try {
        parsed = await response.json()
      } catch (error) {
        signal.throwIfAborted()
        // A body cut off mid-way is a network failure; an intact non-JSON body is the server's answer.
        if (response.ok || response.status >= 500) return { ok: false, failure: { kind: 'network', message: `response unreadable (${describeNetworkError(error)})` } }
        parsed = undefined
      }
    } finally {
      limit.release()
    }
    if (response.ok) return { ok: true, value: parsed as T }
    const error = (parsed as Partial<ErrorBody> | undefined)?.error
    return {
      ok: false,
      failure: {
        kind: 'http',
        status: response.status,
        code: error?.code ?? `HTTP_${response.status}`,
        message: error?.message ?? `server answered ${response.status} ${response.statusText}`,
        retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), Date.now()),
        details: error?.details,
      },
    }
  }
}

interface BinaryBody {
  bytes: Uint8Array<ArrayBuffer>
  mediaType: string
}

function isBinaryBody(body: unknown): body is BinaryBody {
  return typeof body === 'object' && body !== null && 'bytes' in body && 'mediaType' in body
}

function describeNetworkError(error: unknown): string {
  if (error instanceof DOMException && error.name === 'TimeoutError') return `no answer within ${REQUEST_TIMEOUT_MS / 1000} s`
  return error instanceof Error ? error.message : String(error)
}
