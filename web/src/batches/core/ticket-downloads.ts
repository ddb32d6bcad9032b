// How the page downloads a completed batch's tickets. The server streams each file with
// `Content-Disposition: attachment` and the browser saves it as a download of its own: the file
// never passes through the page's memory (a 1,000,000-ticket CSV is about 250 MB).
//
// A browser download cannot tell the page why it failed: an expired session would end as a
// "Failed" entry in the browser's download list and nothing on the page. So each click first
// asks the API one cheap question that runs the same checks as the download itself, and only
// starts the download on a yes.
import type { PdfPart, PdfParts, TicketLayout } from '@boxoffice/tickets'
import { formatCount } from '../../shared/core/format.ts'
import { classifyFailure, failureOf } from '../../shared/core/request-failure.ts'

/**
 * GET /api/batches/:id/tickets.pdf/parts. Chosen as the check before every download because it
 * refuses exactly what both downloads refuse (no session 401, a batch this account may not see
 * 404, not completed 409) and reads nothing but the batch row; a HEAD of the download itself
 * would not do: Fastify's automatic HEAD route answers at once, then produces the whole file and
 * throws it away.
 */
export type ListPdfParts = (batchId: string, layout: TicketLayout) => Promise<PdfParts>

export type DownloadPlan =
  /** Start a browser download of this same-origin URL. */
  | { kind: 'save'; url: string }
  /** The batch prints as several files: let the user pick. */
  | { kind: 'choose'; parts: PdfParts }
  /** Nothing to download; say why. `sessionEnded`: the page must ask for a sign-in. */
  | { kind: 'problem'; message: string; sessionEnded: boolean }

export function csvUrl(batchId: string): string {
  return `/api/batches/${batchId}/tickets.csv`
}

/** The file at `url` (the CSV, or one part of the PDF), once the server agrees it can be had. */
export async function planFileDownload(listParts: ListPdfParts, batchId: string, url: string): Promise<DownloadPlan> {
  try {
    await listParts(batchId, 'single')
    return { kind: 'save', url }
  } catch (error) {
    return refusal(error)
  }
}

/** One click saves a batch of one file's worth; a larger batch offers its parts. */
export async function planPdfDownload(listParts: ListPdfParts, batchId: string, layout: TicketLayout): Promise<DownloadPlan> {
  try {
    const parts = await listParts(batchId, layout)
    const [only, ...more] = parts.parts
    return only && more.length === 0 ? { kind: 'save', url: only.url } : { kind: 'choose', parts }
  } catch (error) {
    return refusal(error)
  }
}

/** What the user reads when the server says no, or cannot be asked. */
export function refusal(error: unknown): DownloadPlan {
  const problem = (message: string, sessionEnded = false): DownloadPlan => ({ kind: 'problem', message, sessionEnded })
  const failure = failureOf(error)
  if (failure?.kind !== 'http')
    return problem('The server could not be reached, so the download did not start. Check the connection and try again.')
  if (classifyFailure(failure) === 'signed-out') return problem('Your session has ended. Sign in again, then download the tickets.', true)
  if (failure.status === 404)
    return problem('The server does not show this batch to this account any more, so its tickets cannot be downloaded.')
  if (failure.status === 409) return problem(`The tickets cannot be downloaded: ${failure.message}.`)
  return problem(`The download did not start: the server answered ${failure.status} (${failure.message}). Try again in a moment.`)
}

/** "This batch prints as 3 PDF files of at most 5,000 tickets each." */
export function partsNote(parts: PdfParts): string {
  return `This batch prints as ${formatCount(parts.parts.length)} PDF files of at most ${formatCount(parts.maxTicketsPerFile)} tickets each.`
}

/** "Tickets 0–4,999 (625 pages)": serials as printed on the tickets' numbers. */
export function partLabel(part: PdfPart): string {
  const pages = part.pages === 1 ? '1 page' : `${formatCount(part.pages)} pages`
  const serials = part.from === part.to ? `Ticket ${formatCount(part.from)}` : `Tickets ${formatCount(part.from)}–${formatCount(part.to)}`
  return `${serials} (${pages})`
}
