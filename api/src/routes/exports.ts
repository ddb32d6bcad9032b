import type { Readable } from 'node:stream'
import type { FastifyReply } from 'fastify'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { STAFF_ROLES } from '../auth/route-roles.ts'
import { BatchParams, ErrorBody, PdfExportQuery, PdfParts, PdfPartsQuery } from '@boxoffice/tickets'
import { accountIdOf, type SignedInAccount } from '../auth/sessions.ts'
import { assertCanView } from '../batches/batch-access.ts'
import { assertCompleted } from '../batches/completed-batch.ts'
import type { TicketRepository } from '../db/ticket-repository.ts'
import { ExportsBusy } from '../errors.ts'
import { ticketsCsv } from '../exports/csv-export.ts'
import { ExportSlots, type ExportLimits } from '../exports/export-slots.ts'
import { attachment, exportFilename } from '../exports/export-filename.ts'
import { pdfParts, pdfRange } from '../exports/pdf-parts.ts'
import { printedBatch } from '../exports/pdf-export.ts'
import { PdfRenderPool } from '../exports/pdf-render-pool.ts'
import { signedInAccount } from '../plugins/authentication.ts'
import { recordAudit } from '../audit/audit-trail.ts'
import { FileStream } from '../exports/file-stream.ts'

/** The batch, if this account may see it (404 otherwise, like every batch route) and it is completed (409). */
async function exportableBatch(repository: TicketRepository, id: string, account: SignedInAccount, purpose: string) {
  const batch = await repository.getBatch(id)
  assertCanView(batch, id, account)
  assertCompleted(batch, purpose)
  return batch
}

export interface ExportRoutesOptions {
  exportLimits?: ExportLimits
  /** PDF worker threads (default 1), started with the first PDF export. */
  pdfThreads?: number
  /** Replaces the PDF worker's entry point (tests: a worker that crashes). */
  pdfWorkerUrl?: URL
}

/** Seconds a refused export is told to wait: about what a 5,000-ticket PDF takes to download. */
const EXPORT_RETRY_AFTER_SECONDS = 5

/**
 * An export slot for `account`, or 429 EXPORTS_BUSY with Retry-After. The slot is held until the
 * response is over, whether sent, failed or abandoned by the client.
 */
function holdExportSlot(slots: ExportSlots, account: SignedInAccount, reply: FastifyReply): (file: Readable) => Readable {
  const slot = slots.tryAcquire(accountIdOf(account))
  if ('refused' in slot) {
    reply.header('retry-after', EXPORT_RETRY_AFTER_SECONDS)
    throw new ExportsBusy(
      slot.refused === 'account'
        ? `this account already has ${slots.limits.perAccount} exports running; try again when one has finished`
        : `the server is running ${slots.limits.total} exports, its most at once; try again in a few seconds`,
    )
  }
  reply.raw.once('close', slot.release)
  return (file) => file.once('close', slot.release)
}

/**
 * Downloads of a completed batch's tickets, for whoever may see the batch (its creator, admins).
 * Both stream: rows and pages are produced as the client reads them, never the whole file at once.
 * PDFs are drawn in worker threads; both kinds count against the export limits.
 */
const ticketExports: FastifyPluginAsyncTypebox<ExportRoutesOptions> = async (app, options) => {
  const slots = new ExportSlots(options.exportLimits)
  const pdfs = new PdfRenderPool({ threads: options.pdfThreads ?? 1, workerUrl: options.pdfWorkerUrl })
  app.addHook('onClose', () => pdfs.close())

  app.get(
    '/batches/:id/tickets.csv',
    // No automatic HEAD route: it would answer at once, then make the whole file and throw it away.
    {
      config: { roles: STAFF_ROLES },
      exposeHeadRoute: false,
      schema: { params: BatchParams, response: { 200: FileStream, '4xx': ErrorBody } },
    },
    async (request, reply) => {
      const account = signedInAccount(request)
      const batch = await exportableBatch(app.repository, request.params.id, account, 'exported')
      const heldBy = holdExportSlot(slots, account, reply)
      const csv = heldBy(ticketsCsv(batch, app.repository.streamTickets(batch.id, [0, batch.quantity - 1])))
      await recordAudit(request, 'export.downloaded', batch.id, { format: 'csv', tickets: batch.quantity })
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', attachment(exportFilename(batch, 'csv')))
        .header('cache-control', 'no-store')
        .send(csv)
    },
  )

  app.get(
    '/batches/:id/tickets.pdf',
    {
      config: { roles: STAFF_ROLES },
      exposeHeadRoute: false,
      schema: { params: BatchParams, querystring: PdfExportQuery, response: { 200: FileStream, '4xx': ErrorBody } },
    },
    async (request, reply) => {
      const { layout = 'single', from, to } = request.query
      const account = signedInAccount(request)
      const batch = await exportableBatch(app.repository, request.params.id, account, 'printed')
      const range = pdfRange(batch, layout, from, to)
      const whole = range[0] === 0 && range[1] === batch.quantity - 1
      const filename = exportFilename(batch, 'pdf', whole ? undefined : range)
      const title = `${batch.event} – ${batch.ticketType}, serials ${range[0]}–${range[1]}`
      const heldBy = holdExportSlot(slots, account, reply)
      // Nothing is read or drawn until the client starts reading the stream.
      const pdf = heldBy(pdfs.render(printedBatch(batch), app.repository.streamTickets(batch.id, range), layout, title))
      await recordAudit(request, 'export.downloaded', batch.id, { format: 'pdf', layout, from: range[0], to: range[1] })
      return reply.type('application/pdf').header('content-disposition', attachment(filename)).header('cache-control', 'no-store').send(pdf)
    },
  )

  app.get(
    '/batches/:id/tickets.pdf/parts',
    {
      config: { roles: STAFF_ROLES },
      schema: { params: BatchParams, querystring: PdfPartsQuery, response: { 200: PdfParts, '4xx': ErrorBody } },
    },
    async (request) => {
      const batch = await exportableBatch(app.repository, request.params.id, signedInAccount(request), 'printed')
      return pdfParts(batch, request.query.layout ?? 'single')
    },
  )
}

export default ticketExports
