import type { SignatureCheck } from './signature-check.ts'

/**
 * Imported keys by batch id, least recently used dropped first. Importing costs far more than a
 * lookup, and uploads of one batch arrive together, so a small cache holds every active batch.
 * Keys are in the form `check` verifies with (an OpenSSL KeyObject, or libsodium's raw bytes).
 */
export class PublicKeyCache<Key = unknown> {
  readonly check: SignatureCheck<Key>
  readonly #capacity: number
  readonly #entries = new Map<string, { publicKey: string; key: Key }>()

  constructor(check: SignatureCheck<Key>, capacity = 256) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer; got ${capacity}`)
    this.check = check
    this.#capacity = capacity
  }

  get size(): number {
    return this.#entries.size
  }

  keyFor(batchId: string, publicKey: string): Key {
    const entry = this.#entries.get(batchId)
    if (entry && entry.publicKey === publicKey) {
      // Re-insert to mark as most recently used.
      this.#entries.delete(batchId)
      this.#entries.set(batchId, entry)
      return entry.key
    }
    const key = this.check.importKey(publicKey)
    this.#entries.delete(batchId)
    this.#entries.set(batchId, { publicKey, key })
    if (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next().value!
      this.#entries.delete(oldest)
    }
    return key
  }
}
