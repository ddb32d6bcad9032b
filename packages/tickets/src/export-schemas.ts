// Wire contract of the ticket exports: CSV and printable PDF of a completed batch.
import Type from 'typebox'
import { MAX_QUANTITY } from './limits.ts'
import { BatchId } from './schemas.ts'

/** The most tickets one PDF file holds; larger batches come in several files (see PdfParts). */
export const MAX_TICKETS_PER_PDF = 5_000

/** `single`: one ticket per A6 page. `a4-8`: eight tickets per A4 sheet, 2 × 4, with cut lines. */
export const TicketLayout = Type.Union([Type.Literal('single'), Type.Literal('a4-8')])

/** Tickets on one page of each layout. */
export const TICKETS_PER_PAGE = { single: 1, 'a4-8': 8 } as const

const Serial = Type.Integer({ minimum: 0, maximum: MAX_QUANTITY - 1 })

/** `from`/`to`: inclusive serial range, default the whole batch; at most MAX_TICKETS_PER_PDF tickets. */
export const PdfExportQuery = Type.Object(
  {
    layout: Type.Optional(TicketLayout),
    from: Type.Optional(Serial),
    to: Type.Optional(Serial),
  },
  { additionalProperties: false },
)

export const PdfPartsQuery = Type.Object({ layout: Type.Optional(TicketLayout) }, { additionalProperties: false })

export const PdfPart = Type.Object({
  from: Type.Integer({ description: 'first serial, inclusive' }),
  to: Type.Integer({ description: 'last serial, inclusive' }),
  tickets: Type.Integer(),
  pages: Type.Integer(),
  url: Type.String({ description: 'path of this file, e.g. /api/batches/…/tickets.pdf?layout=single&from=0&to=4999' }),
})

export const PdfParts = Type.Object({
  batchId: BatchId,
  layout: TicketLayout,
  maxTicketsPerFile: Type.Integer(),
  parts: Type.Array(PdfPart),
})

export type TicketLayout = Type.Static<typeof TicketLayout>
export type PdfExportQuery = Type.Static<typeof PdfExportQuery>
export type PdfPart = Type.Static<typeof PdfPart>
export type PdfParts = Type.Static<typeof PdfParts>
