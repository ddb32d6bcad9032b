import { createPublicKey, type KeyObject } from 'node:crypto'

/** Imports an Ed25519 public key given as base64url of its 32 raw bytes. Throws if it does not import. */
export function importEd25519PublicKey(publicKey: string): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey }, format: 'jwk' })
}

/**
 * Imported keys by batch id, least recently used dropped first. Importing costs far more than a
 * lookup, and uploads of one batch arrive together, so a small cache holds every active batch.
 */
export class PublicKeyCache {
  readonly #capacity: number
  readonly #entries = new Map<string, { publicKey: string; key: KeyObject }>()

  constructor(capacity = 256) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer; got ${capacity}`)
    this.#capacity = capacity
  }

  get size(): number {
    return this.#entries.size
  }

  keyFor(batchId: string, publicKey: string): KeyObject {
    const entry = this.#entries.get(batchId)
    if (entry && entry.publicKey === publicKey) {
      // Re-insert to mark as most recently used.
      this.#entries.delete(batchId)
      this.#entries.set(batchId, entry)
      return entry.key
    }
    const key = importEd25519PublicKey(publicKey)
    this.#entries.delete(batchId)
    this.#entries.set(batchId, { publicKey, key })
    if (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next().value!
      this.#entries.delete(oldest)
    }
    return key
  }
}
