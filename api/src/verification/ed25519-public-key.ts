import { decodeBase64Url, encodeBase64Url } from '@boxoffice/tickets'
import { importEd25519PublicKey } from './public-key-cache.ts'

// Node (OpenSSL) imports any 32 bytes as an Ed25519 public key and only fails later, at every
// verification. Decoding the point here (RFC 8032 §5.1.3) rejects a key no signature can match.
const P = 2n ** 255n - 19n
const D = mod(-121665n * inverse(121666n))

/** Why `encoded` is not a usable Ed25519 public key, or `undefined` if it is one. */
export function ed25519PublicKeyProblem(encoded: string): string | undefined {
  const raw = decodeBase64Url(encoded)
  if (!raw || raw.length !== 32) return 'public key must be the 32 raw key bytes, base64url-encoded'
  if (encodeBase64Url(raw) !== encoded) return 'public key is not canonical base64url (its last character has stray bits)'
  if (!isCurvePoint(raw)) return 'public key is not a point on the Ed25519 curve'
  try {
    importEd25519PublicKey(encoded)
  } catch {
    return 'public key does not import as an Ed25519 key'
  }
  return undefined
}

function isCurvePoint(raw: Uint8Array): boolean {
  let y = 0n
  for (let i = 31; i >= 0; i--) y = (y << 8n) | BigInt(raw[i]!)
  const xIsOdd = (y >> 255n) === 1n
  y &= (1n << 255n) - 1n
  if (y >= P) return false
  // x² = (y² − 1) / (d·y² + 1); the point exists iff that is a square mod p.
  const y2 = mod(y * y)
  const x2 = mod((y2 - 1n) * inverse(mod(D * y2 + 1n)))
  if (x2 === 0n) return !xIsOdd
  return power(x2, (P - 1n) / 2n) === 1n
}

function mod(value: bigint): bigint {
  const result = value % P
  return result >= 0n ? result : result + P
}

function power(base: bigint, exponent: bigint): bigint {
  let result = 1n
  base = mod(base)
  while (exponent > 0n) {
    if (exponent & 1n) result = mod(result * base)
    base = mod(base * base)
    exponent >>= 1n
  }
  return result
}

function inverse(value: bigint): bigint {
  return power(value, P - 2n)
}
