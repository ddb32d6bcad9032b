// The one Ed25519 signature check of ingest, in one of two libraries: libsodium (sodium-native,
// prebuilt binaries in the npm package), about twice as fast here as Node's OpenSSL, or OpenSSL
// itself (node:crypto), which is always there. Both refuse a signature whose S is not reduced
// (S ≥ L); libsodium also refuses small-order R and keys, which honest signers never produce and
// batch creation refuses anyway.
import { createPublicKey, verify, type KeyObject } from 'node:crypto'
import { createRequire } from 'node:module'
import { decodeBase64Url } from '@boxoffice/tickets'

export type SignatureLibrary = 'libsodium' | 'openssl'
/** `auto`: libsodium when it loads, else OpenSSL. */
export type SignatureLibraryChoice = SignatureLibrary | 'auto'
export const SIGNATURE_LIBRARY_CHOICES: readonly SignatureLibraryChoice[] = ['auto', 'libsodium', 'openssl']

export interface SignatureCheck<Key = unknown> {
  readonly library: SignatureLibrary
  /** Imports a base64url 32-byte Ed25519 public key once; throws if it is not one. */
  importKey(publicKey: string): Key
  verify(message: Uint8Array, signature: Uint8Array, key: Key): boolean
}

export function openSslSignatureCheck(): SignatureCheck<KeyObject> {
  return {
    library: 'openssl',
    importKey: (publicKey) => createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey }, format: 'jwk' }),
    verify: (message, signature, key) => verify(null, message, key, signature),
  }
}

type Sodium = typeof import('sodium-native')

export function sodiumSignatureCheck(sodium: Sodium): SignatureCheck<Uint8Array> {
  return {
    library: 'libsodium',
    importKey(publicKey) {
      const bytes = decodeBase64Url(publicKey)
      if (bytes?.length !== 32) throw new TypeError('an Ed25519 public key is 32 bytes in base64url')
      return bytes
    },
    verify: (message, signature, key) => signature.length === 64 && sodium.crypto_sign_verify_detached(signature, message, key),
  }
}

const requireFromHere = createRequire(import.meta.url)

/** libsodium's binding, or why it cannot be loaded here. */
export function loadSodium(load: () => unknown = () => requireFromHere('sodium-native')): { sodium: Sodium } | { error: Error } {
  try {
    const sodium = load() as Sodium
    if (typeof sodium?.crypto_sign_verify_detached !== 'function') throw new Error('sodium-native has no crypto_sign_verify_detached')
    return { sodium }
  } catch (error) {
    return { error: error instanceof Error ? error : new Error(String(error)) }
  }
}

/**
 * The check `choice` asks for. `auto` falls back to OpenSSL when libsodium does not load (no
 * prebuilt binary for this platform, say); asking for `libsodium` outright fails instead.
 */
export function chooseSignatureCheck(choice: SignatureLibraryChoice, load?: () => unknown): SignatureCheck {
  if (choice === 'openssl') return openSslSignatureCheck()
  const loaded = loadSodium(load)
  if ('sodium' in loaded) return sodiumSignatureCheck(loaded.sodium)
  if (choice === 'libsodium') throw new Error(`libsodium (sodium-native) cannot be loaded: ${loaded.error.message}`)
  return openSslSignatureCheck()
}
