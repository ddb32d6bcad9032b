import type { BatchSummary, PdfParts, SessionInfo } from '@boxoffice/tickets'
import type { BatchProgress } from '../core/batch-progress.ts'
import type { BatchRequest } from '../core/local-batch.ts'
import { apiRequest, ApiError, currentSession, signIn, signOut } from '../../shared/io/api-client.ts'
import { BatchDownloads } from './batch-downloads.svelte.ts'
import { checkStorageFor } from '../core/batch-form.ts'
import { saveDownload } from '../core/ticket-downloads.ts'
import type { TicketWorkerBridge } from '../adapters/ticket-worker-bridge.ts'

const FINISHED = new Set(['completed', 'cancelled'])

/** The page's state: who is signed in, batches this tab knows, the one on screen, and the server's list. */
export class BoxOfficeState {
  /** undefined while checking; null when nobody is signed in. */
  session = $state<SessionInfo | null | undefined>(undefined)
  local = $state<Record<string, BatchProgress>>({})
  selectedId = $state<string | null>(null)
  serverBatches = $state.raw<BatchSummary[]>([])
  serverListError = $state<string | null>(null)
  notice = $state<string | null>(null)
  starting = $state(false)

  selected = $derived(this.selectedId ? this.local[this.selectedId] : undefined)
  /** An upload stopped on an ended session: the sign-in form shows again, progress stays. */
  uploadsNeedSignIn = $derived(Object.values(this.local).some((batch) => batch.phase === 'signed-out'))
  #workerStarted = false
  /** Not reactive: each BatchDownloads is; kept per batch so a refresh of the list keeps what a row shows. */
  #downloads = new Map<string, BatchDownloads>()

  constructor(private readonly worker: TicketWorkerBridge) {}

  /** Checks the session; the worker starts (and resumes unfinished batches) once someone is signed in. */
  async start(): Promise<void> {
    this.session = await currentSession()
    if (this.session) await this.#startWorker()
  }

  async signIn(username: string, password: string): Promise<void> {
    this.session = await signIn(username, password)
    this.notice = null
    if (this.#workerStarted) await this.worker.signedIn()
    else await this.#startWorker()
    await this.refreshServerBatches()
  }

  async signOut(): Promise<void> {
    await signOut().catch(() => undefined)
    this.session = null
  }

  async #startWorker(): Promise<void> {
    if (this.#workerStarted) return
    this.#workerStarted = true
    const unfinished = await this.worker.start((progress) => this.#onProgress(progress))
    for (const progress of unfinished) this.local[progress.id] = progress
    this.selectedId ??= unfinished[0]?.id ?? null
    await this.refreshServerBatches()
  }

  /** Checks storage, asks for persistence on large batches, and hands the batch to the worker. */
  async generate(request: BatchRequest): Promise<string | undefined> {
    this.notice = null
    this.starting = true
    try {
      const storageProblem = await checkStorageFor(request.quantity)
      if (storageProblem) {
        this.notice = storageProblem
        return undefined
      }
      // Ask that staged tickets survive storage pressure. Not awaited: the browser may sit on the
      // request (a permission prompt), and generation must not wait for it.
      if (request.quantity > 5_000) void navigator.storage?.persist?.().catch(() => false)
      const id = await this.worker.createBatch($state.snapshot(request))
      this.selectedId = id
      return id
    } finally {
      this.starting = false
    }
  }

  pause(id: string) {
    return this.worker.pause(id)
  }

  resume(id: string) {
    return this.worker.resume(id)
  }

  async cancel(id: string) {
    const { onServer } = await this.worker.cancel(id)
    this.notice =
      onServer === null
        ? 'Batch cancelled here. The server could not be reached, so it may still hold some of its tickets.'
        : `Batch cancelled. ${onServer.toLocaleString('en-US')} tickets were already on the server.`
    await this.refreshServerBatches()
  }

  /** The download controls of a completed batch. */
  downloadsFor(batchId: string): BatchDownloads {
    let downloads = this.#downloads.get(batchId)
    if (!downloads) {
      downloads = new BatchDownloads(batchId, {
        listParts: (id, layout) => apiRequest<PdfParts>('GET', `/batches/${id}/tickets.pdf/parts?layout=${layout}`),
        save: saveDownload,
        onSessionEnded: (message) => {
          this.session = null
          this.notice = message
        },
      })
      this.#downloads.set(batchId, downloads)
    }
    return downloads
  }

  async refreshServerBatches(): Promise<void> {
    try {
      this.serverBatches = (await apiRequest<{ batches: BatchSummary[] }>('GET', '/batches?limit=50')).batches
      this.serverListError = null
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        this.session = null
        return
      }
      this.serverListError = `Could not load the server's batches (${error instanceof Error ? error.message : error}).`
    }
  }

  #onProgress(progress: BatchProgress) {
    const previous = this.local[progress.id]
    this.local[progress.id] = progress
    if (previous && previous.phase !== progress.phase && FINISHED.has(progress.phase)) void this.refreshServerBatches()
  }
}
