import { decodeBase64Url, ed25519PublicKeyProblem as pointProblem, encodeBase64Url } from '@boxoffice/tickets'
import { openSslSignatureCheck } from './signature-check.ts'

/**
 * Why `encoded` is not a usable Ed25519 public key, or `undefined` if it is one: the point checks
 * shared with the browser (packages/tickets: on the curve, canonical, not of small order), plus
 * canonical base64url (one spelling per key, for the replay comparison) and a Node import.
 */
export function ed25519PublicKeyProblem(encoded: string): string | undefined {
  const raw = decodeBase64Url(encoded)
  if (!raw || raw.length !== 32) return 'public key must be the 32 raw key bytes, base64url-encoded'
  if (encodeBase64Url(raw) !== encoded) return 'public key is not canonical base64url (its last character has stray bits)'
  const problem = pointProblem(raw)
  if (problem) return problem
  try {
    openSslSignatureCheck().importKey(encoded)
  } catch {
    return 'public key does not import as an Ed25519 key'
  }
  return undefined
}
