// Checks on an Ed25519 public key's 32 bytes that key import does not make: Node (OpenSSL) imports
// any 32 bytes, WebCrypto any that decode, and both accept a point of small order. With such a key
// (the all-zero bytes are one) a single signature can verify for many messages, so a batch could
// be "signed" without its private key. Shared by the API (batch creation) and the browser (the
// offline check-in kit), so both refuse the same keys.
const P = 2n ** 255n - 19n
const D = mod(-121665n * inverse(121666n))
/** A square root of −1 mod p. */
const SQRT_M1 = power(2n, (P - 1n) / 4n)

interface Point {
  x: bigint
  y: bigint
}

/**
 * Why these bytes are not a usable Ed25519 public key, or undefined if they are one. Refused:
 * anything but 32 bytes; bytes that decode to no curve point (RFC 8032 §5.1.3); every point of
 * order 1, 2, 4 or 8, in all 14 of its encodings (sign bit set or clear, y ≥ p included); and any
 * other non-canonical encoding (y ≥ p, or x = 0 with the sign bit set).
 */
export function ed25519PublicKeyProblem(raw: Uint8Array): string | undefined {
  if (raw.length !== 32) return 'public key must be the 32 raw key bytes'
  let y = 0n
  for (let i = 31; i >= 0; i--) y = (y << 8n) | BigInt(raw[i]!)
  const signBit = y >> 255n
  y &= (1n << 255n) - 1n
  const canonicalY = y < P
  // Decoded leniently first (y reduced mod p, any sign bit), so that each small-order point is
  // named as such whichever of its encodings is used.
  const x = recoverX(mod(y))
  if (x === undefined) return 'public key is not a point on the Ed25519 curve'
  const order = smallOrder({ x, y: mod(y) })
  if (order !== undefined) {
    return `public key is a small-order point (order ${order}): one signature could verify for many messages`
  }
  if (!canonicalY) return 'public key is not a canonical point encoding (its y-coordinate is not below 2^255 − 19)'
  if (x === 0n && signBit === 1n) return 'public key is not a canonical point encoding (x is 0 but its sign bit is set)'
  return undefined
}

/** The x with x² = (y² − 1) / (d·y² + 1) (either sign), or undefined when there is none. */
function recoverX(y: bigint): bigint | undefined {
  const y2 = mod(y * y)
  const x2 = mod((y2 - 1n) * inverse(mod(D * y2 + 1n)))
  if (x2 === 0n) return 0n
  let x = power(x2, (P + 3n) / 8n)
  if (mod(x * x) !== x2) x = mod(x * SQRT_M1)
  return mod(x * x) === x2 ? x : undefined
}

/** 1, 2, 4 or 8 when that many additions of the point give the identity; undefined for any larger order. */
function smallOrder(point: Point): number | undefined {
  let multiple = point
  for (const order of [1, 2, 4, 8]) {
    if (multiple.x === 0n && multiple.y === 1n) return order
    multiple = double(multiple)
  }
  return undefined
}

/** 2·P by the unified addition law of −x² + y² = 1 + d·x²·y², complete since d is not a square. */
function double({ x, y }: Point): Point {
  const dxxyy = mod(D * x * x * y * y)
  return {
    x: mod(2n * x * y * inverse(mod(1n + dxxyy))),
    y: mod((y * y + x * x) * inverse(mod(1n - dxxyy))),
  }
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
