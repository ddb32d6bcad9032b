import type { Readable } from 'node:stream'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { BatchParams, ErrorBody, PdfExportQuery, PdfParts, PdfPartsQuery } from '@boxoffice/tickets'
import type { SignedInAccount } from '../auth/sessions.ts'
import { assertCanView } from '../batches/batch-access.ts'
import { assertCompleted } from '../batches/completed-batch.ts'
import type { TicketRepository } from '../db/ticket-repository.ts'
import { ticketsCsv } from '../exports/csv-export.ts'
import { attachment, exportFilename } from '../exports/export-filename.ts'
import { pdfParts, pdfRange } from '../exports/pdf-parts.ts'
import { ticketsPdf } from '../exports/pdf-export.ts'
import { signedInAccount } from '../plugins/authentication.ts'

/** A streamed file body: never serialized, so no schema to check it against. */
const FileStream = Type.Unsafe<Readable>({})

/** The batch, if this account may see it (404 otherwise, like every batch route) and it is completed (409). */
async function exportableBatch(repository: TicketRepository, id: string, account: SignedInAccount, purpose: string) {
  const batch = await repository.getBatch(id)
  assertCanView(batch, id, account)
  assertCompleted(batch, purpose)
  return batch
}

/**
 * Downloads of a completed batch's tickets, for whoever may see the batch (its creator, admins).
 * Both stream: rows and pages are produced as the client reads them, never the whole file at once.
 */
const ticketExports: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/batches/:id/tickets.csv',
    // No automatic HEAD route: it would answer at once, then make the whole file and throw it away.
    { exposeHeadRoute: false, schema: { params: BatchParams, response: { 200: FileStream, '4xx': ErrorBody } } },
    async (request, reply) => {
      const batch = await exportableBatch(app.repository, request.params.id, signedInAccount(request), 'exported')
      const rows = app.repository.streamTickets(batch.id, [0, batch.quantity - 1])
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', attachment(exportFilename(batch, 'csv')))
        .header('cache-control', 'no-store')
        .send(ticketsCsv(batch, rows))
    },
  )

  app.get(
    '/batches/:id/tickets.pdf',
    { exposeHeadRoute: false, schema: { params: BatchParams, querystring: PdfExportQuery, response: { 200: FileStream, '4xx': ErrorBody } } },
    async (request, reply) => {
      const { layout = 'single', from, to } = request.query
      const batch = await exportableBatch(app.repository, request.params.id, signedInAccount(request), 'printed')
      const range = pdfRange(batch, layout, from, to)
      const whole = range[0] === 0 && range[1] === batch.quantity - 1
      const filename = exportFilename(batch, 'pdf', whole ? undefined : range)
      const title = `${batch.event} – ${batch.ticketType}, serials ${range[0]}–${range[1]}`
      return reply
        .type('application/pdf')
        .header('content-disposition', attachment(filename))
        .header('cache-control', 'no-store')
        .send(ticketsPdf(batch, app.repository.streamTickets(batch.id, range), layout, title))
    },
  )

  app.get(
    '/batches/:id/tickets.pdf/parts',
    { schema: { params: BatchParams, querystring: PdfPartsQuery, response: { 200: PdfParts, '4xx': ErrorBody } } },
    async (request) => {
      const batch = await exportableBatch(app.repository, request.params.id, signedInAccount(request), 'printed')
      return pdfParts(batch, request.query.layout ?? 'single')
    },
  )
}

export default ticketExports
