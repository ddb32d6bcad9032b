import type { ChunkVerifier } from './chunk-verifier.ts'
import { checkChunk } from './check-ticket.ts'
import { PublicKeyCache } from './public-key-cache.ts'

/** Verifies on the calling thread: simple, but one core's worth of Ed25519 at most. */
export function createInProcessChunkVerifier(options: { keyCacheSize?: number } = {}): ChunkVerifier {
  const keys = new PublicKeyCache(options.keyCacheSize)
  return {
    async verifyChunk(batch, tickets) {
      return checkChunk(keys, batch, tickets)
    },
    async close() {},
  }
}
