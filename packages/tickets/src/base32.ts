// RFC 4648 base32, upper case, no padding. Its alphabet is a subset of the QR code
// alphanumeric mode (5.5 bits a character), so a token packs denser in a QR code than base64.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
const VALUES = new Map([...ALPHABET].map((char, value) => [char, value]))

export function encodeBase32(bytes: Uint8Array): string {
  let out = ''
  let buffer = 0
  let bits = 0
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte
    bits += 8
    while (bits >= 5) {
      bits -= 5
      out += ALPHABET[(buffer >>> bits) & 31]
    }
    buffer &= (1 << bits) - 1
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31]
  return out
}

/** Returns `undefined` for any character outside the alphabet or a length no byte string encodes to. */
export function decodeBase32(text: string): Uint8Array | undefined {
  const remainder = text.length % 8
  if (remainder === 1 || remainder === 3 || remainder === 6) return undefined
  const out = new Uint8Array(Math.floor((text.length * 5) / 8))
  let buffer = 0
  let bits = 0
  let index = 0
  for (const char of text) {
    const value = VALUES.get(char)
    if (value === undefined) return undefined
    buffer = (buffer << 5) | value
    bits += 5
    if (bits >= 8) {
      bits -= 8
      out[index++] = (buffer >>> bits) & 255
    }
    buffer &= (1 << bits) - 1
  }
  // Non-zero padding bits mean the text is not the canonical encoding of any bytes.
  if (buffer !== 0) return undefined
  return out
}
