import { decodeBase64Url, encodeBase64Url } from './base64url.ts'
import { ed25519PublicKeyProblem } from './ed25519-public-key.ts'

const ED25519 = { name: 'Ed25519' } as const

/** A batch key pair whose private half can sign but never be exported. */
export async function generateBatchKeyPair(): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey(ED25519, false, ['sign', 'verify'])) as CryptoKeyPair
}

/** The public key as base64url of its 32 raw bytes: the form the API stores. */
export async function exportPublicKey(publicKey: CryptoKey): Promise<string> {
  return encodeBase64Url(new Uint8Array(await crypto.subtle.exportKey('raw', publicKey)))
}

/** Imports a batch's public key; refuses what ed25519PublicKeyProblem refuses (small-order points among them). */
export async function importPublicKey(encoded: string): Promise<CryptoKey> {
  const raw = decodeBase64Url(encoded)
  if (!raw || raw.length !== 32) throw new TypeError('public key must be 32 bytes, base64url-encoded')
  const problem = ed25519PublicKeyProblem(raw)
  if (problem) throw new TypeError(problem)
  return crypto.subtle.importKey('raw', raw as Uint8Array<ArrayBuffer>, ED25519, true, ['verify'])
}
