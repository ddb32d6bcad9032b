import { createHash } from 'node:crypto'

/**
 * Hex SHA-256 of the chunk's tokens joined by "\n", in upload order. Tokens are base32, so the
 * separator cannot occur inside one, and equal digests mean equal chunks.
 */
export function chunkDigest(tokens: readonly string[]): string {
  return createHash('sha256').update(tokens.join('\n')).digest('hex')
}
