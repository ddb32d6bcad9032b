import type { BatchSummary } from '@boxoffice/tickets'
import { sessionEnded } from '../../shared/core/request-failure.ts'
import { storageProblem } from '../core/batch-form.ts'
import { finishedProgress, type BatchProgress } from '../core/batch-progress.ts'
import type { BatchRequest } from '../core/local-batch.ts'
import { workerStoppedText } from '../core/status-text.ts'
import type { ListPdfParts } from '../core/ticket-downloads.ts'
import { BatchDownloads } from './batch-downloads.svelte.ts'

const FINISHED = new Set(['completed', 'cancelled'])

/** The ticket worker once started (adapters/ticket-worker-bridge.ts). */
export interface TicketWorker {
  /** The batches it found unfinished and resumed (or left waiting for the user) when it started. */
  unfinished: BatchProgress[]
  createBatch(request: BatchRequest): Promise<string>
  pause(batchId: string): Promise<void>
  resume(batchId: string): Promise<void>
  cancel(batchId: string): Promise<{ onServer: number | null }>
  signedIn(): Promise<void>
}

/** What the worker tells the page, besides the answers to its calls. */
export interface TicketWorkerReports {
  onProgress(progress: BatchProgress): void
  /** Another tab's update of the app holds staging up (see shared/io/open-database.ts); null once it no longer does. */
  onStorageNotice(message: string | null): void
  /** The worker failed to load or died: every call pending or to come rejects. */
  onStopped(reason: string): void
}

export interface BoxOfficeDeps {
  /** Loads and starts the worker; its answer is the only way to call it. */
  startWorker(reports: TicketWorkerReports): Promise<TicketWorker>
  listServerBatches(): Promise<BatchSummary[]>
  listPdfParts: ListPdfParts
  estimateStorage(): Promise<{ quota?: number; usage?: number } | undefined>
  /** Asks the browser to keep the site's storage under pressure; does not wait for an answer. */
  askToKeepStorage(): void
  /** Starts a browser download of a same-origin URL. */
  saveDownload(url: string): void
  /** The server answered 401: the page asks for a sign-in. */
  onSessionEnded(): void
  /** The batch this tab showed last, kept across a reload of the tab (adapters/page-io.ts). */
  shownBatch: { read(): string | null; write(batchId: string | null): void }
}

/** The batches page's state: batches this tab knows, the one on screen, and the server's list. */
export class BoxOfficeState {
  local = $state<Record<string, BatchProgress>>({})
  selectedId = $state<string | null>(null)
  serverBatches = $state.raw<BatchSummary[]>([])
  serverListError = $state<string | null>(null)
  notice = $state<string | null>(null)
  starting = $state(false)
  /** The worker could not start or stopped: nothing is generated or uploaded in this tab. */
  workerProblem = $state<string | null>(null)
  /** Another tab's update of the app holds staging up. */
  storageNotice = $state<string | null>(null)
  /** Goes up whenever a batch here reserved tickets or gave some back: what is left of its type changed. */
  capacityRevision = $state(0)

  selected = $derived(this.selectedId ? this.local[this.selectedId] : undefined)
  /** An upload stopped on an ended session: the sign-in form shows again, progress stays. */
  uploadsNeedSignIn = $derived(Object.values(this.local).some((batch) => batch.phase === 'signed-out'))
  #worker: Promise<TicketWorker> | undefined
  /** Not reactive: each BatchDownloads is; kept per batch so a refresh of the list keeps what a row shows. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a cache, not state the page reads
  #downloads = new Map<string, BatchDownloads>()

  constructor(private readonly deps: BoxOfficeDeps) {}

  /**
   * Once someone is signed in: starts the worker (which resumes unfinished batches) and lists the
   * server's batches. Never rejects: a worker that cannot start is shown as `workerProblem`.
   */
  async start(): Promise<void> {
    if (this.#worker) return
    try {
      await this.#ready()
    } catch (error) {
      this.workerProblem ??= `Boxoffice could not start: ${error instanceof Error ? error.message : error}`
    }
    await this.refreshServerBatches()
    this.#showFinishedWhileAway()
  }

  /** Shows batch `id` (one of `local`), and remembers it for a reload of this tab. */
  select(id: string | null): void {
    this.selectedId = id
    this.deps.shownBatch.write(id)
  }

  /**
   * The batch on screen before a reload finished meanwhile (its last chunk went through as the page
   * went away): this browser no longer stages it, so the server's record is what the panel shows.
   */
  #showFinishedWhileAway() {
    const shown = this.deps.shownBatch.read()
    if (!shown || this.local[shown]) return
    const batch = this.serverBatches.find((candidate) => candidate.id === shown)
    if (!batch || (batch.state !== 'completed' && batch.state !== 'cancelled')) return
    this.local[shown] = finishedProgress(batch)
    this.selectedId ??= shown
  }

  /** Someone signed in (again): uploads that waited for it go on. */
  async signedIn(): Promise<void> {
    this.notice = null
    // A worker that stopped has said so already (workerProblem); the sign-in itself went through.
    if (this.#worker) await this.#worker.then((worker) => worker.signedIn()).catch(() => undefined)
    else await this.start()
    await this.refreshServerBatches()
  }

  /** The worker, started on first use. */
  #ready(): Promise<TicketWorker> {
    this.#worker ??= this.deps
      .startWorker({
        onProgress: (progress) => this.#onProgress(progress),
        onStorageNotice: (message) => (this.storageNotice = message),
        onStopped: (reason) => (this.workerProblem = workerStoppedText(reason)),
      })
      .then((worker) => {
        for (const progress of worker.unfinished) this.local[progress.id] ??= progress
        const shown = this.deps.shownBatch.read()
        this.selectedId ??= worker.unfinished.find((batch) => batch.id === shown)?.id ?? worker.unfinished[0]?.id ?? null
        return worker
      })
    return this.#worker
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
      const id = await (await this.#ready()).createBatch($state.snapshot(request))
      this.select(id)
      return id
    } finally {
      this.starting = false
    }
  }

  async pause(id: string) {
    await (await this.#ready()).pause(id)
  }

  async resume(id: string) {
    await (await this.#ready()).resume(id)
  }

  async cancel(id: string) {
    const { onServer } = await (await this.#ready()).cancel(id)
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
    const phaseChanged = previous !== undefined && previous.phase !== progress.phase
    if (phaseChanged && FINISHED.has(progress.phase)) void this.refreshServerBatches()
    // Registered (tickets reserved), refused (CAPACITY_EXCEEDED says what is really left) or cancelled (tickets given back).
    if ((progress.registered && !previous?.registered) || (phaseChanged && (progress.phase === 'failed' || progress.phase === 'cancelled')))
      this.capacityRevision++
  }
}
