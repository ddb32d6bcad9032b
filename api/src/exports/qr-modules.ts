// A ticket's QR code as vector rectangles: crisp at any print resolution, a few kilobytes a page,
// and readable back from the PDF's drawing commands (the export tests decode it from there).
import encodeQR from 'qr'

/** Light modules around the symbol that the QR specification requires. */
export const QUIET_ZONE_MODULES = 4

export interface QrRuns {
  /** Modules per side, without the quiet zone. */
  size: number
  /** PDF path operators, one `col row length 1 re` per horizontal run of dark modules, in module units. */
  path: string
}

/**
 * The token's QR code, error correction M. A token is base32 (A–Z, 2–7), which QR's alphanumeric
 * mode holds at 5.5 bits a character. The mask is chosen by the specification's penalty rules.
 * (`qr` rather than `qrcode`: the same symbols, about 20 times faster, which is most of the time
 * a printed page costs.)
 */
export function qrRuns(token: string): QrRuns {
  // The library's smallest border is one module; it is dropped here and the quiet zone drawn as space.
  const modules = encodeQR(token, 'raw', { ecc: 'medium', encoding: 'alphanumeric', border: 1 })
  const size = modules.length - 2
  let path = ''
  for (let row = 0; row < size; row++) {
    const line = modules[row + 1]!
    let col = 0
    while (col < size) {
      if (!line[col + 1]) {
        col++
        continue
      }
      const start = col
      while (col < size && line[col + 1]) col++
      path += `${start} ${row} ${col - start} 1 re\n`
    }
  }
  return { size, path }
}
