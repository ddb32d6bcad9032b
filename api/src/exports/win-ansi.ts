// PDF's built-in fonts (Helvetica here) cover only the WinAnsi character set, and pdfkit writes any
// other character as garbage bytes. Event names are free text, so they are fitted to it first.

/** Characters outside Latin-1 that WinAnsi has: € ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ */
const WIN_ANSI_EXTRAS = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ')

function representable(char: string): boolean {
  const code = char.codePointAt(0)!
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRAS.has(char)
}

/**
 * The text with every character a built-in PDF font can draw kept; an accented letter outside the
 * set loses its accent (ő → o), white space becomes a space, anything else becomes "?".
 */
export function toWinAnsi(text: string): string {
  let result = ''
  for (const char of text.normalize('NFC')) {
    if (representable(char)) result += char
    else if (/\s/u.test(char)) result += ' '
    else {
      const base = char.normalize('NFD').replace(/\p{M}+/gu, '')
      result += base.length > 0 && [...base].every(representable) ? base : '?'
    }
  }
  return result
}
