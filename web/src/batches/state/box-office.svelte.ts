import type { BatchSummary } from '@boxoffice/tickets'
import { sessionEnded } from '../../shared/core/request-failure.ts'
import { storageProblem } from '../core/batch-form.ts'
import type { BatchProgress } from '../core/batch-progress.ts'
import type { BatchRequest } from '../core/local-batch.ts'
import type { ListPdfParts } from '../core/ticket-downloads.ts'
import { BatchDownloads } from './batch-downloads.svelte.ts'

const FINISHED = new Set(['completed', 'cancelled'])

/** The ticket worker, as the page uses it (adapters/ticket-worker-bridge.ts). */
export interface TicketWorker {
  start(onProgress: (progress: BatchProgress) => void): Promise<BatchProgress[]>
  createBatch(request: BatchRequest): Promise<string>
  pause(batchId: string): Promise<void>
  resume(batchId: string): Promise<void>
  cancel(batchId: string): Promise<{ onServer: number | null }>
  signedIn(): Promise<void>
}

export interface BoxOfficeDeps {
  worker: TicketWorker
  listServerBatches(): Promise<BatchSummary[]>
  listPdfParts: ListPdfParts
  estimateStorage(): Promise<{ quota?: number; usage?: number } | undefined>
  /** Asks the browser to keep the site's storage under pressure; does not wait for an answer. */
  askToKeepStorage(): void
  /** Starts a browser download of a same-origin URL. */
  saveDownload(url: string): void
  /** The server answered 401: the page asks for a sign-in. */
  onSessionEnded(): void
}

/** The batches page's state: batches this tab knows, the one on screen, and the server's list. */
export class BoxOfficeState {
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

  constructor(private readonly deps: BoxOfficeDeps) {}

  /** Once someone is signed in: starts the worker (which resumes unfinished batches) and lists the server's batches. */
  async start(): Promise<void> {
    if (this.#workerStarted) return
    this.#workerStarted = true
    const unfinished = await this.deps.worker.start((progress) => this.#onProgress(progress))
    for (const progress of unfinished) this.local[progress.id] = progress
    this.selectedId ??= unfinished[0]?.id ?? null
    await this.refreshServerBatches()
  }

  /** Someone signed in (again): uploads that waited for it go on. */
  async signedIn(): Promise<void> {
    this.notice = null
    if (this.#workerStarted) await this.deps.worker.signedIn()
    else await this.start()
    await this.refreshServerBatches()
  }

  /** Checks storage, asks for persistence on large batches, and hands the batch to the worker. */
  async generate(request: BatchRequest): Promise<string | undefined> {
    this.notice = null
    this.starting = true
    try {
      const problem = storageProblem(request.quantity, await this.deps.estimateStorage())
      if (problem) {
        this.notice = problem
        return undefined
      }
      if (request.quantity > 5_000) this.deps.askToKeepStorage()
      const id = await this.deps.worker.createBatch($state.snapshot(request))
      this.selectedId = id
      return id
    } finally {
      this.starting = false
    }
  }

  pause(id: string) {
    return this.deps.worker.pause(id)
  }

  resume(id: string) {
    return this.deps.worker.resume(id)
  }

  async cancel(id: string) {
    const { onServer } = await this.deps.worker.cancel(id)
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
        listParts: this.deps.listPdfParts,
        save: this.deps.saveDownload,
        onSessionEnded: (message) => {
          this.deps.onSessionEnded()
          this.notice = message
        },
      })
      this.#downloads.set(batchId, downloads)
    }
    return downloads
  }

  async refreshServerBatches(): Promise<void> {
    try {
      this.serverBatches = await this.deps.listServerBatches()
      this.serverListError = null
    } catch (error) {
      if (sessionEnded(error)) return this.deps.onSessionEnded()
      this.serverListError = `Could not load the server's batches (${error instanceof Error ? error.message : error}).`
    }
  }

  #onProgress(progress: BatchProgress) {
    const previous = this.local[progress.id]
    this.local[progress.id] = progress
    if (previous && previous.phase !== progress.phase && FINISHED.has(progress.phase)) void this.refreshServerBatches()
  }
}
