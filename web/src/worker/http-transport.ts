import type { BatchStatus, ChunkAck, CreateBatchBody, ErrorBody } from '@boxoffice/tickets'
import type { BatchTransport, Outcome, StagedChunk } from '../core/ports.ts'
import { parseRetryAfter } from '../core/retry-policy.ts'

/** Longest a single request may take before it counts as a network failure and is retried. */
const REQUEST_TIMEOUT_MS = 30_000

export interface TransportOptions {
  /** Gzip chunk bodies (CompressionStream); the API inflates `Content-Encoding: gzip`. */
  compressChunks: boolean
}

export class HttpBatchTransport implements BatchTransport {
  constructor(
    private readonly apiBase: string,
    private readonly options: TransportOptions,
  ) {}

  registerBatch(body: CreateBatchBody, signal: AbortSignal) {
    return this.#request<BatchStatus>('POST', '/batches', body, signal)
  }
  getBatchStatus(batchId: string, signal: AbortSignal) {
    return this.#request<BatchStatus>('GET', `/batches/${batchId}`, undefined, signal)
  }
  async putChunk(batchId: string, chunk: StagedChunk, signal: AbortSignal) {
    const json = JSON.stringify({ tickets: chunk.tickets })
    const body = this.options.compressChunks ? { bytes: await gzip(json), encoding: 'gzip' } : json
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
    if (isEncodedBody(body)) {
      headers['content-type'] = 'application/json'
      headers['content-encoding'] = body.encoding
      payload = body.bytes
    } else if (body !== undefined) {
      headers['content-type'] = 'application/json'
      payload = typeof body === 'string' ? body : JSON.stringify(body)
    }
    let response: Response
    try {
      response = await fetch(`${this.apiBase}${path}`, {
        method,
        headers,
        body: payload,
        signal: AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
        credentials: 'same-origin',
      })
    } catch (error) {
      signal.throwIfAborted()
      return { ok: false, failure: { kind: 'network', message: describeNetworkError(error) } }
    }
    let parsed: unknown
    try {
      parsed = await response.json()
    } catch (error) {
      signal.throwIfAborted()
      // A body cut off mid-way is a network failure; an intact non-JSON body is the server's answer.
      if (response.ok || response.status >= 500) return { ok: false, failure: { kind: 'network', message: `response unreadable (${describeNetworkError(error)})` } }
      parsed = undefined
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

interface EncodedBody {
  bytes: Uint8Array<ArrayBuffer>
  encoding: string
}

function isEncodedBody(body: unknown): body is EncodedBody {
  return typeof body === 'object' && body !== null && 'bytes' in body && 'encoding' in body
}

async function gzip(text: string): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'))
  return new Uint8Array(await new Response(stream).arrayBuffer())
}

function describeNetworkError(error: unknown): string {
  if (error instanceof DOMException && error.name === 'TimeoutError') return `no answer within ${REQUEST_TIMEOUT_MS / 1000} s`
  return error instanceof Error ? error.message : String(error)
}
