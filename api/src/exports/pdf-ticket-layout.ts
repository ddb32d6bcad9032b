// Where a ticket's parts go on paper. Units are PDF points (1/72 inch), origin top left.
import type { TicketLayout } from '@boxoffice/tickets'
import { QUIET_ZONE_MODULES, qrRuns } from './qr-modules.ts'
import { toWinAnsi } from './win-ansi.ts'

type PdfDocument = PDFKit.PDFDocument

/** What is printed on a ticket, already formatted. */
export interface PrintedTicket {
  event: string
  ticketType: string
  price: string
  ticketNumber: string
  token: string
}

interface Box {
  x: number
  y: number
  width: number
  height: number
}

const A6: [number, number] = [297.64, 419.53]
const A4: [number, number] = [595.28, 841.89]

export interface PageLayout {
  size: [number, number]
  /** The ticket boxes of one page, in reading order. */
  boxes: Box[]
  draw(doc: PdfDocument, ticket: PrintedTicket, box: Box): void
  /** Drawn once per page, e.g. cut lines. */
  decorate?(doc: PdfDocument): void
}

/** Event, ticket type and price; returns the y below them. */
function drawHeading(
  doc: PdfDocument,
  ticket: PrintedTicket,
  x: number,
  y: number,
  width: number,
  sizes: { event: number; type: number; price: number },
) {
  // `height` caps each text block (with an ellipsis) so that a long event name never spills onto a new page.
  doc.fillColor('#000').font('Helvetica-Bold').fontSize(sizes.event)
  doc.text(toWinAnsi(ticket.event), x, y, { width, height: sizes.event * 3.6, ellipsis: true })
  y = doc.y + sizes.event * 0.35
  doc.font('Helvetica').fontSize(sizes.type)
  doc.text(toWinAnsi(ticket.ticketType), x, y, { width, height: sizes.type * 2.4, ellipsis: true })
  y = doc.y + sizes.type * 0.3
  doc.font('Helvetica-Bold').fontSize(sizes.price)
  doc.text(ticket.price, x, y, { width, height: sizes.price * 1.2, ellipsis: true })
  return doc.y
}

/** The token's QR code with its quiet zone, filling a square of `side` points at (x, y). */
function drawQr(doc: PdfDocument, token: string, x: number, y: number, side: number) {
  const { size, path } = qrRuns(token)
  const module = side / (size + 2 * QUIET_ZONE_MODULES)
  const offset = QUIET_ZONE_MODULES * module
  // One scaled group per code: the runs are written in whole module units.
  doc.save()
  doc.transform(module, 0, 0, module, x + offset, y + offset)
  doc.addContent(path)
  doc.fill('#000')
  doc.restore()
}

function drawTicketNumber(
  doc: PdfDocument,
  ticketNumber: string,
  x: number,
  y: number,
  width: number,
  size: number,
  align: 'left' | 'center',
) {
  doc.fillColor('#000').font('Helvetica').fontSize(size)
  doc.text(ticketNumber, x, y, { width, height: size * 1.2, align, lineBreak: false })
}

/** One ticket on an A6 page: text on top, a large QR code, the ticket number under it. */
const single: PageLayout = {
  size: A6,
  boxes: [{ x: 0, y: 0, width: A6[0], height: A6[1] }],
  draw(doc, ticket, box) {
    const margin = 24
    const width = box.width - 2 * margin
    const below = drawHeading(doc, ticket, box.x + margin, box.y + margin, width, { event: 16, type: 12, price: 14 })
    const numberSize = 12
    const side = Math.min(200, box.y + box.height - margin - numberSize * 1.6 - (below + 4))
    drawQr(doc, ticket.token, box.x + (box.width - side) / 2, below + 4, side)
    drawTicketNumber(doc, ticket.ticketNumber, box.x + margin, below + 4 + side, width, numberSize, 'center')
  },
}

const CELL: [number, number] = [A4[0] / 2, A4[1] / 4]

/** Eight tickets on an A4 sheet, 2 columns × 4 rows, with dashed cut lines between them. */
const a4Eight: PageLayout = {
  size: A4,
  boxes: Array.from({ length: 8 }, (_, index) => ({
    x: (index % 2) * CELL[0],
    y: Math.floor(index / 2) * CELL[1],
    width: CELL[0],
    height: CELL[1],
  })),
  draw(doc, ticket, box) {
    const padding = 14
    const side = 124
    const textWidth = box.width - 3 * padding - side
    drawHeading(doc, ticket, box.x + padding, box.y + padding, textWidth, { event: 12, type: 10, price: 11 })
    drawTicketNumber(doc, ticket.ticketNumber, box.x + padding, box.y + box.height - padding - 10, textWidth, 8.5, 'left')
    drawQr(doc, ticket.token, box.x + box.width - padding - side, box.y + (box.height - side) / 2, side)
  },
  decorate(doc) {
    doc.save().lineWidth(0.5).strokeColor('#999').dash(4, { space: 4 })
    doc.moveTo(CELL[0], 0).lineTo(CELL[0], A4[1]).stroke()
    for (let row = 1; row < 4; row++)
      doc
        .moveTo(0, row * CELL[1])
        .lineTo(A4[0], row * CELL[1])
        .stroke()
    doc.undash().restore()
  },
}

export const PAGE_LAYOUTS: Readonly<Record<TicketLayout, PageLayout>> = { single, 'a4-8': a4Eight }
