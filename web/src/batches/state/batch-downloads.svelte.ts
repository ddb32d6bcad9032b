import type { PdfPart, PdfParts, TicketLayout } from '@boxoffice/tickets'
import { csvUrl, planFileDownload, planPdfDownload, type DownloadPlan, type ListPdfParts } from '../core/ticket-downloads.ts'

export interface DownloadDeps {
  listParts: ListPdfParts
  /** Starts a browser download of a same-origin URL (adapters/page-io.ts `saveDownload`). */
  save: (url: string) => void
  /** A check answered 401: the page asks for a sign-in and shows `message`. */
  onSessionEnded: (message: string) => void
}

/** The download controls of one completed batch: the PDF layout picked, a check in flight, what went wrong, the parts offered. */
export class BatchDownloads {
  layout = $state<TicketLayout>('single')
  checking = $state(false)
  problem = $state<string | null>(null)
  #listed = $state.raw<PdfParts | null>(null)
  /** The parts on offer, only while the layout they were listed for is the one picked. */
  parts = $derived(this.#listed?.layout === this.layout ? this.#listed : null)

  constructor(
    readonly batchId: string,
    private readonly deps: DownloadDeps,
  ) {}

  downloadCsv(): Promise<void> {
    return this.#follow(() => planFileDownload(this.deps.listParts, this.batchId, csvUrl(this.batchId)))
  }

  downloadPdf(): Promise<void> {
    const layout = this.layout
    return this.#follow(() => planPdfDownload(this.deps.listParts, this.batchId, layout))
  }

  downloadPart(part: PdfPart): Promise<void> {
    return this.#follow(() => planFileDownload(this.deps.listParts, this.batchId, part.url))
  }

  async #follow(plan: () => Promise<DownloadPlan>): Promise<void> {
    if (this.checking) return
    this.checking = true
    this.problem = null
    try {
      const next = await plan()
      if (next.kind === 'save') this.deps.save(next.url)
      else if (next.kind === 'choose') this.#listed = next.parts
      else if (next.sessionEnded) this.deps.onSessionEnded(next.message)
      else this.problem = next.message
    } finally {
      this.checking = false
    }
  }
}
