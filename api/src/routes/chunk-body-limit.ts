import { CHUNK_SIZE, MAX_QUANTITY, MAX_TOKEN_LENGTH } from '@boxoffice/tickets'

/**
 * Bytes of the largest chunk body the schema admits, written compactly as JSON.stringify writes
 * it: CHUNK_SIZE tickets, each with the highest serial and a token of the schema's maximum length
 * (tokens are base32, so no character needs escaping). A larger body cannot be a legitimate chunk.
 */
export function maxChunkBodyBytes(): number {
  const ticket = { serial: MAX_QUANTITY - 1, token: 'A'.repeat(MAX_TOKEN_LENGTH) }
  const tickets = Array.from({ length: CHUNK_SIZE }, () => ticket)
  return Buffer.byteLength(JSON.stringify({ tickets }))
}
