import type { ChunkVerifier } from './chunk-verifier.ts'
import { checkChunk } from './check-ticket.ts'
import { PublicKeyCache } from './public-key-cache.ts'
import { chooseSignatureCheck, type SignatureLibraryChoice } from './signature-check.ts'

export interface InProcessVerifierOptions {
  keyCacheSize?: number
  /** Default `auto`: libsodium when it loads, else OpenSSL. */
  library?: SignatureLibraryChoice
}

/** Verifies on the calling thread: simple, but one core's worth of Ed25519 at most. */
export function createInProcessChunkVerifier(options: InProcessVerifierOptions = {}): ChunkVerifier {
  const keys = new PublicKeyCache(chooseSignatureCheck(options.library ?? 'auto'), options.keyCacheSize)
  return {
    library: keys.check.library,
    async verifyChunk(batch, tickets) {
      return checkChunk(keys, batch, tickets)
    },
    async close() {},
  }
}
