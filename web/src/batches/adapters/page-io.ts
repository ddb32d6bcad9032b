// The page's own I/O for batches (the ticket worker does the rest): the server's batch list and
// PDF parts, the browser's storage estimate and persistence, starting a download, and which batch
// the tab shows.
import type { BatchSummary, PdfParts, TicketLayout } from '@boxoffice/tickets'
import { apiRequest } from '../../shared/io/request.ts'

/** The batches this account sees on the server, newest first. */
export async function listServerBatches(): Promise<BatchSummary[]> {
  return (await apiRequest<{ batches: BatchSummary[] }>('GET', '/batches?limit=50')).batches
}

/** GET /api/batches/:id/tickets.pdf/parts: the check before every download (core/ticket-downloads.ts). */
export function listPdfParts(batchId: string, layout: TicketLayout): Promise<PdfParts> {
  return apiRequest<PdfParts>('GET', `/batches/${batchId}/tickets.pdf/parts?layout=${layout}`)
}

/** How much storage the browser grants this origin, where it says. */
export async function estimateStorage(): Promise<StorageEstimate | undefined> {
  return navigator.storage?.estimate ? navigator.storage.estimate() : undefined
}

/**
 * Asks that staged tickets survive storage pressure. Not awaited: the browser may sit on the
 * request (a permission prompt), and generation must not wait for it.
 */
export function askToKeepStorage(): void {
  void navigator.storage?.persist?.().catch(() => false)
}

/**
 * Hands `url` to the browser's download manager. `download` keeps the page where it is even if
 * the answer is not a file (it then fails as a download instead of replacing the app); the file
 * name comes from the server's Content-Disposition.
 */
export function saveDownload(url: string): void {
  const link = document.createElement('a')
  link.href = url
  link.download = ''
  link.click()
}

const SHOWN_BATCH_KEY = 'boxoffice.shown-batch'

/** The batch this tab shows, in sessionStorage: it outlives a reload of the tab, and each tab has its own. */
export const shownBatch = {
  read(): string | null {
    try {
      return sessionStorage.getItem(SHOWN_BATCH_KEY)
    } catch {
      return null
    }
  },
  write(batchId: string | null): void {
    try {
      if (batchId) sessionStorage.setItem(SHOWN_BATCH_KEY, batchId)
      else sessionStorage.removeItem(SHOWN_BATCH_KEY)
    } catch {
      // Storage refused (a private window with it off): the page just forgets on a reload.
    }
  },
}
