// One simulated box office: its own staff session, its own HTTP connections (an undici Pool with
// one connection per request in flight, as a browser tab would hold), and its own pre-signed batch.
// It registers the batch, uploads every chunk with `inFlight` requests outstanding, and completes
// the batch, retrying exactly what the browser retries (web/src/core/retry-policy.ts): network
// errors, 408, 429 and every 5xx, forever, with exponential backoff and full jitter; a 401 signs in
// again. Any other answer is final and counted as given up.
import { Pool } from 'undici'
import {
  SIGNATURE_CHUNK_MEDIA_TYPE,
  chunkSerialRange,
  type BatchStatus,
  type ChunkAck,
  CSRF_HEADER,
  CSRF_HEADER_VALUE,
} from '@boxoffice/tickets'
import {
  DEFAULT_RETRY_POLICY,
  isRetryable,
  needsSignIn,
  parseRetryAfter,
  retryDelayMs,
  type RequestFailure,
  type RetryPolicy,
} from '@boxoffice/testkit/browser-protocol'
import { LatencyRecorder } from '@boxoffice/testkit/latency'
import { chunkBody, chunkCountOf, type PreparedBatch } from './prepared-batch.ts'
import type { ChunkEncoding } from './options.ts'
import type { StaffAccount } from './server-control.ts'

/** Longest a request may take before it counts as a network failure (the browser's figure). */
const REQUEST_TIMEOUT_MS = 30_000

export interface OfficeResult {
  name: string
  tickets: number
  chunks: number
  /** Chunk PUTs sent, retries included. */
  requests: number
  /** Every chunk PUT that got an answer, from send to the end of the answer's body. */
  latency: LatencyRecorder
  /** Retried requests of any kind, by reason (`network ECONNREFUSED`, `500 INTERNAL_ERROR`, …). */
  retries: Map<string, number>
  /** Chunk acknowledgements with `duplicate: true`: the server already held the chunk. */
  duplicateAcks: number
  /** Requests given up on, with the answer that ended them. Should stay empty. */
  givenUp: string[]
  /** From the first chunk PUT to the completion's answer. */
  uploadMs: number
}

type Outcome = { ok: true; value: unknown } | { ok: false; failure: RequestFailure }

export interface OfficeOptions {
  baseURL: string
  account: StaffAccount
  batch: PreparedBatch
  /** Chunk requests in flight at once, and HTTP connections. */
  inFlight: number
  /** Backoff between retries; the browser's by default. */
  retryPolicy?: RetryPolicy
  /** Told of every chunk the server acknowledges, with its ticket count. */
  onAck?: (tickets: number) => void
}

class GaveUp extends Error {}

export class BoxOffice {
  readonly name: string
  readonly result: OfficeResult
  readonly #batch: PreparedBatch
  readonly #options: OfficeOptions
  readonly #pool: Pool
  #cookie = ''
  #abort: Error | undefined

  constructor(options: OfficeOptions) {
    this.name = options.account.username
    this.#batch = options.batch
    this.#options = options
    this.#pool = new Pool(options.baseURL, {
      connections: options.inFlight,
      headersTimeout: REQUEST_TIMEOUT_MS,
      bodyTimeout: REQUEST_TIMEOUT_MS,
      // nginx in front of several instances serves a self-signed certificate for 127.0.0.1.
      connect: { rejectUnauthorized: false },
    })
    this.result = {
      name: this.name,
      tickets: options.batch.body.quantity,
      chunks: chunkCountOf(options.batch),
      requests: 0,
      latency: new LatencyRecorder(),
      retries: new Map(),
      duplicateAcks: 0,
      givenUp: [],
      uploadMs: NaN,
    }
  }

  get batchId(): string {
    return this.#batch.body.id
  }

  /** Signs in and registers the batch (untimed setup). */
  async prepare(): Promise<void> {
    await this.#signIn()
    await this.#withRetry('create event', () => this.#send('POST', '/api/events', JSON.stringify(this.#batch.eventBody)))
    await this.#withRetry('create batch', () => this.#send('POST', '/api/batches', JSON.stringify(this.#batch.body)))
  }

  /** Uploads every chunk and completes the batch; timed. */
  async upload(): Promise<void> {
    const started = performance.now()
    let next = 0
    const lane = async () => {
      while (next < this.result.chunks) {
        const index = next++
        try {
          await this.#putChunk(index)
        } catch (error) {
          if (!(error instanceof GaveUp)) throw error
        }
      }
    }
    await Promise.all(Array.from({ length: this.#options.inFlight }, lane))
    try {
      await this.#withRetry('complete batch', () => this.#send('POST', `/api/batches/${this.batchId}/complete`))
    } catch (error) {
      if (!(error instanceof GaveUp)) throw error
    }
    this.result.uploadMs = performance.now() - started
  }

  /** The server's view of the batch. */
  async status(): Promise<BatchStatus> {
    return (await this.#withRetry('batch status', () => this.#send('GET', `/api/batches/${this.batchId}`))) as BatchStatus
  }

  /** Stops retrying: every request still being retried fails with `reason`. */
  abort(reason: Error): void {
    this.#abort = reason
  }

  async close(): Promise<void> {
    await this.#pool.close()
  }

  async #putChunk(index: number): Promise<void> {
    const path = `/api/batches/${this.batchId}/chunks/${index}`
    const ack = (await this.#withRetry(`chunk ${index}`, async () => {
      this.result.requests++
      const started = performance.now()
      const outcome = await this.#send('PUT', path, chunkBody(this.#batch, index), this.#batch.encoding)
      if (outcome.ok || outcome.failure.kind === 'http') this.result.latency.record(performance.now() - started)
      return outcome
    })) as ChunkAck
    if (ack.duplicate) this.result.duplicateAcks++
    const [first, last] = chunkSerialRange(index, this.#batch.body.quantity)
    this.#options.onAck?.(last - first + 1)
  }

  async #signIn(): Promise<void> {
    await this.#withRetry('sign in', () => this.#send('POST', '/api/session', JSON.stringify(this.#options.account)), false)
  }

  /** Calls until it succeeds or is refused for good (GaveUp). */
  async #withRetry(operation: string, call: () => Promise<Outcome>, signInOn401 = true): Promise<unknown> {
    for (let retries = 0; ;) {
      if (this.#abort) throw this.#abort
      const outcome = await call()
      if (outcome.ok) return outcome.value
      const { failure } = outcome
      const reason = failure.kind === 'network' ? `network ${failure.message}` : `${failure.status} ${failure.code}`
      if (needsSignIn(failure) && signInOn401) {
        this.#count(reason)
        await this.#signIn()
        continue
      }
      if (!isRetryable(failure)) {
        const message =
          failure.kind === 'http'
            ? `${operation}: ${failure.status} ${failure.code} ${failure.message}`
            : `${operation}: ${failure.message}`
        this.result.givenUp.push(message)
        throw new GaveUp(message)
      }
      this.#count(reason)
      retries++
      await new Promise((resolve) => setTimeout(resolve, retryDelayMs(this.#options.retryPolicy ?? DEFAULT_RETRY_POLICY, retries, failure)))
    }
  }

  #count(reason: string) {
    this.result.retries.set(reason, (this.result.retries.get(reason) ?? 0) + 1)
  }

  async #send(method: string, path: string, body?: string | Uint8Array, encoding: ChunkEncoding = 'plain'): Promise<Outcome> {
    const headers: Record<string, string> = { [CSRF_HEADER]: CSRF_HEADER_VALUE }
    if (this.#cookie) headers.cookie = this.#cookie
    if (body !== undefined) headers['content-type'] = encoding === 'signatures' ? SIGNATURE_CHUNK_MEDIA_TYPE : 'application/json'
    if (encoding === 'gzip') headers['content-encoding'] = 'gzip'
    let statusCode: number
    let responseHeaders: Record<string, string | string[] | undefined>
    let text: string
    try {
      const response = await this.#pool.request({ method: method as 'GET', path, headers, body })
      statusCode = response.statusCode
      responseHeaders = response.headers
      text = await response.body.text()
    } catch (error) {
      return { ok: false, failure: { kind: 'network', message: describeNetworkError(error) } }
    }
    let parsed: unknown
    try {
      parsed = text ? JSON.parse(text) : undefined
    } catch {
      parsed = undefined
    }
    if (statusCode >= 200 && statusCode < 300) {
      if (path === '/api/session' && method === 'POST') this.#cookie = sessionCookie(responseHeaders['set-cookie'])
      return { ok: true, value: parsed }
    }
    const error = (parsed as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error
    const retryAfter = responseHeaders['retry-after']
    return {
      ok: false,
      failure: {
        kind: 'http',
        status: statusCode,
        code: error?.code ?? `HTTP_${statusCode}`,
        message: error?.message ?? `server answered ${statusCode}`,
        retryAfterMs: parseRetryAfter(typeof retryAfter === 'string' ? retryAfter : null, Date.now()),
        details: error?.details,
      },
    }
  }
}

function sessionCookie(header: string | string[] | undefined): string {
  const cookies = header === undefined ? [] : Array.isArray(header) ? header : [header]
  return cookies.map((cookie) => cookie.split(';')[0]).join('; ')
}

/** `ECONNREFUSED`, `UND_ERR_SOCKET`, …: short and stable, so that retries group by cause. */
function describeNetworkError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code === 'string') return code
  return error instanceof Error ? error.name : String(error)
}
