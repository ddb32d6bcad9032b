// Password hashing with scrypt from node:crypto. A stored hash carries its own parameters and salt,
//   scrypt$<N>$<r>$<p>$<salt base64url>$<key base64url>
// so the cost can be raised later without invalidating existing accounts.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'

export interface ScryptParams {
  /** CPU/memory cost, a power of two. Memory used is 128 · N · r bytes. */
  N: number
  r: number
  p: number
}

/**
 * One of OWASP's equivalent scrypt settings (N=2^15, r=8, p=3): 32 MiB per hash, about 0.3 s on
 * this project's 2-core reference machine. Chosen over N=2^17, p=1 for its smaller memory peak.
 */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 15, r: 8, p: 3 }

const KEY_LENGTH = 32
const SALT_LENGTH = 16
/** Refuse to run a stored hash whose parameters would take unbounded memory or time. */
const MAX_N = 2 ** 20
const MAX_RP = 64

function scryptKey(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 1024 * 1024 }
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)))
  })
}

export function checkScryptParams(params: ScryptParams): void {
  const { N, r, p } = params
  const powerOfTwo = Number.isInteger(N) && N > 1 && N <= MAX_N && (N & (N - 1)) === 0
  if (!powerOfTwo || !Number.isInteger(r) || r < 1 || r > MAX_RP || !Number.isInteger(p) || p < 1 || p > MAX_RP) {
    throw new RangeError(`unusable scrypt parameters N=${N} r=${r} p=${p}`)
  }
}

export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  checkScryptParams(params)
  const salt = randomBytes(SALT_LENGTH)
  const key = await scryptKey(password, salt, params)
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$')
}

/** True when `password` matches `stored`. A malformed stored hash never matches (and never throws). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored)
  if (!parsed) return false
  const key = await scryptKey(password, parsed.salt, parsed.params)
  return key.length === parsed.key.length && timingSafeEqual(key, parsed.key)
}

function parseHash(stored: string): { params: ScryptParams; salt: Buffer; key: Buffer } | undefined {
  const parts = stored.split('$')
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined
  const [N, r, p] = parts.slice(1, 4).map((part) => (/^\d{1,8}$/.test(part) ? Number(part) : NaN)) as [number, number, number]
  const params = { N, r, p }
  try {
    checkScryptParams(params)
  } catch {
    return undefined
  }
  const salt = Buffer.from(parts[4]!, 'base64url')
  const key = Buffer.from(parts[5]!, 'base64url')
  if (salt.length === 0 || key.length !== KEY_LENGTH) return undefined
  return { params, salt, key }
}
