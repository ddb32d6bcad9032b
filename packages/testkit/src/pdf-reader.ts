// Reads back what the PDF export drew, without a rasterizer: pdf-lib parses the file (so it must be
// a well-formed PDF), each page's content stream is inflated, and every QR code (drawn as runs of
// dark modules, `col row length 1 re`, inside one scaled `q … cm … Q` group) is rebuilt as a
// bitmap and decoded by jsQR, a QR reader that knows nothing of how the code was drawn.
import { inflateSync } from 'node:zlib'
import jsQR from 'jsqr'
import { PDFArray, PDFDocument, PDFName, PDFRawStream, type PDFPage } from 'pdf-lib'

export interface ReadPage {
  /** The decoded QR codes, in drawing order. */
  qrCodes: string[]
  /** The text of each text-showing operator, in drawing order. */
  texts: string[]
}

function contentStreams(page: PDFPage): PDFRawStream[] {
  const contents = page.node.Contents()
  const streams = contents instanceof PDFArray ? contents.asArray().map((ref) => page.doc.context.lookup(ref)) : [contents]
  return streams.map((stream) => {
    if (!(stream instanceof PDFRawStream)) throw new Error('a page content is not a stream')
    return stream
  })
}

function inflate(stream: PDFRawStream): string {
  const filter = stream.dict.get(PDFName.of('Filter'))
  const bytes = filter === PDFName.of('FlateDecode') ? inflateSync(stream.contents) : stream.contents
  return Buffer.from(bytes).toString('latin1')
}

const QR_GROUP = /q\n[\d.]+ 0 0 [\d.]+ [\d.]+ [\d.]+ cm\n((?:\d+ \d+ \d+ 1 re\n)+)/g
const QUIET_ZONE = 4
const PIXELS_PER_MODULE = 4

/** The QR drawn as `runs` decoded from pixels, or undefined if jsQR cannot read it. */
function decodeQr(runs: string): string | undefined {
  const rects = [...runs.matchAll(/(\d+) (\d+) (\d+) 1 re/g)].map((match) => match.slice(1).map(Number) as [number, number, number])
  const size = Math.max(...rects.map(([col, , length]) => col + length), ...rects.map(([, row]) => row + 1))
  const side = (size + 2 * QUIET_ZONE) * PIXELS_PER_MODULE
  const pixels = new Uint8ClampedArray(side * side * 4).fill(255)
  for (const [col, row, length] of rects) {
    for (let y = (row + QUIET_ZONE) * PIXELS_PER_MODULE; y < (row + QUIET_ZONE + 1) * PIXELS_PER_MODULE; y++) {
      for (let x = (col + QUIET_ZONE) * PIXELS_PER_MODULE; x < (col + QUIET_ZONE + length) * PIXELS_PER_MODULE; x++) {
        pixels.fill(0, (y * side + x) * 4, (y * side + x) * 4 + 3)
      }
    }
  }
  return jsQR(pixels, side, side, { inversionAttempts: 'dontInvert' })?.data
}

// WinAnsi (windows-1252) is Latin-1 but for these characters at 0x80–0x9F. (Node's TextDecoder
// decodes 'windows-1252' as plain Latin-1, so the table is spelled out.)
const WIN_ANSI_HIGH = new Map(
  [
    0x80, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8e, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99,
    0x9a, 0x9b, 0x9c, 0x9e, 0x9f,
  ].map((code, index) => [code, '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ'[index]!]),
)
const WIN_ANSI = {
  decode: (bytes: Uint8Array) => Array.from(bytes, (byte) => WIN_ANSI_HIGH.get(byte) ?? String.fromCharCode(byte)).join(''),
}

/** Hex strings of the standard fonts' WinAnsi encoding, joined per Tj/TJ operator. */
function texts(content: string): string[] {
  return [...content.matchAll(/(\[(?:[^\]]*)\]\s*TJ|<[0-9a-fA-F]*>\s*Tj)/g)].map(([operator]) =>
    [...operator.matchAll(/<([0-9a-fA-F]*)>/g)].map(([, hex]) => WIN_ANSI.decode(Buffer.from(hex!, 'hex'))).join(''),
  )
}

export async function readPdf(bytes: Uint8Array): Promise<{ pageCount: number; pages: ReadPage[] }> {
  const document = await PDFDocument.load(bytes)
  const pages = document.getPages().map((page) => {
    const content = contentStreams(page).map(inflate).join('\n')
    return {
      qrCodes: [...content.matchAll(QR_GROUP)].map(([, runs]) => decodeQr(runs!) ?? '<unreadable>'),
      texts: texts(content),
    }
  })
  return { pageCount: document.getPageCount(), pages }
}
