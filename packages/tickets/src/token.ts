// Ticket token, format version 1. All integers big-endian.
//
//   offset  size  field
//   0       1     format version (1)
//   1       16    batch id (UUID bytes)
//   17      4     serial (u32, 0-based)
//   21      1     ticket type length L in bytes
//   22      L     ticket type (UTF-8)
//   22+L    64    Ed25519 signature over bytes 0 … 22+L−1
//
// The whole is base32-encoded (RFC 4648, no padding): see docs/token-format.md for sizes.
import { decodeBase32, encodeBase32 } from './base32.ts'
import { bytesToUuid, uuidToBytes } from './uuid.ts'

export const TOKEN_VERSION = 1
const HEADER_LENGTH = 22
const SERIAL_OFFSET = 17
/** Bytes of an Ed25519 signature, the last part of every token. */
export const SIGNATURE_LENGTH = 64
const MAX_TYPE_BYTES = 255
const ED25519 = { name: 'Ed25519' } as const

export interface TicketPayload {
  version: number
  batchId: string
  serial: number
  ticketType: string
}

export type TokenRejection = 'BAD_ENCODING' | 'UNKNOWN_VERSION' | 'BAD_SIGNATURE' | 'WRONG_BATCH'

export type DecodedToken =
  | { ok: true; payload: TicketPayload; signedBytes: Uint8Array<ArrayBuffer>; signature: Uint8Array<ArrayBuffer> }
  | { ok: false; reason: 'BAD_ENCODING' | 'UNKNOWN_VERSION'; message: string }

export type TokenVerdict =
  { ok: true; payload: TicketPayload } | { ok: false; reason: TokenRejection; message: string; payload?: TicketPayload }

const utf8Encoder = new TextEncoder()
// ignoreBOM keeps a leading U+FEFF in the ticket type: dropped, the types "\uFEFFVIP" and "VIP"
// would decode alike, so one ticket would have two valid tokens, and a batch whose type starts
// with U+FEFF would have none.
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

export function encodePayload(payload: Omit<TicketPayload, 'version'>): Uint8Array<ArrayBuffer> {
  const type = utf8Encoder.encode(payload.ticketType)
  if (type.length > MAX_TYPE_BYTES) throw new RangeError(`ticket type is ${type.length} bytes; at most ${MAX_TYPE_BYTES}`)
  if (!Number.isInteger(payload.serial) || payload.serial < 0 || payload.serial > 0xffffffff) {
    throw new RangeError(`serial ${payload.serial} is not a 32-bit unsigned integer`)
  }
  const bytes = new Uint8Array(HEADER_LENGTH + type.length)
  const view = new DataView(bytes.buffer)
  bytes[0] = TOKEN_VERSION
  bytes.set(uuidToBytes(payload.batchId), 1)
  view.setUint32(SERIAL_OFFSET, payload.serial)
  bytes[21] = type.length
  bytes.set(type, HEADER_LENGTH)
  return bytes
}

/** Splits a token into its payload and signature without checking the signature. Never throws. */
export function decodeToken(token: string): DecodedToken {
  if (typeof token !== 'string') return { ok: false, reason: 'BAD_ENCODING', message: 'token is not a string' }
  const bytes = decodeBase32(token)
  if (!bytes) return { ok: false, reason: 'BAD_ENCODING', message: 'token is not valid base32 (A–Z, 2–7)' }
  if (bytes.length === 0) return { ok: false, reason: 'BAD_ENCODING', message: 'token is empty' }
  if (bytes[0] !== TOKEN_VERSION) {
    return {
      ok: false,
      reason: 'UNKNOWN_VERSION',
      message: `token format version ${bytes[0]} is not supported (expected ${TOKEN_VERSION})`,
    }
  }
  if (bytes.length < HEADER_LENGTH + SIGNATURE_LENGTH) {
    return { ok: false, reason: 'BAD_ENCODING', message: `token is ${bytes.length} bytes, shorter than any valid token` }
  }
  const typeLength = bytes[21]!
  const signedLength = HEADER_LENGTH + typeLength
  if (bytes.length !== signedLength + SIGNATURE_LENGTH) {
    return {
      ok: false,
      reason: 'BAD_ENCODING',
      message: `token is ${bytes.length} bytes; its header says ${signedLength + SIGNATURE_LENGTH}`,
    }
  }
  let ticketType: string
  try {
    ticketType = utf8Decoder.decode(bytes.subarray(HEADER_LENGTH, signedLength))
  } catch {
    return { ok: false, reason: 'BAD_ENCODING', message: 'ticket type in token is not valid UTF-8' }
  }
  const payload: TicketPayload = {
    version: TOKEN_VERSION,
    batchId: bytesToUuid(bytes.subarray(1, 17)),
    serial: new DataView(bytes.buffer, bytes.byteOffset).getUint32(SERIAL_OFFSET),
    ticketType,
  }
  return { ok: true, payload, signedBytes: bytes.slice(0, signedLength), signature: bytes.slice(signedLength) }
}

export async function signToken(privateKey: CryptoKey, payload: Omit<TicketPayload, 'version'>): Promise<string> {
  const signed = encodePayload(payload)
  const signature = new Uint8Array(await crypto.subtle.sign(ED25519, privateKey, signed))
  return joinToken(signed, signature)
}

/** Signs a batch's tickets; the signature alone is what a chunk upload carries (SIGNATURE_CHUNK_MEDIA_TYPE). */
export interface BatchSignatureSigner {
  /** The 64-byte Ed25519 signature of ticket `serial`. */
  sign(serial: number): Promise<Uint8Array<ArrayBuffer>>
  /** The ticket's token, from its serial and signature. */
  token(serial: number, signature: Uint8Array): string
}

/** One batch's tokens: the header is encoded once, each ticket only writes its serial (and signature). */
function batchTokenWriter(batch: { batchId: string; ticketType: string }) {
  const template = encodePayload({ ...batch, serial: 0 })
  const token = new Uint8Array(template.length + SIGNATURE_LENGTH)
  token.set(template)
  const tokenView = new DataView(token.buffer)
  return {
    /** The bytes a ticket's signature covers. */
    signedBytes(serial: number): Uint8Array<ArrayBuffer> {
      const signed = template.slice()
      new DataView(signed.buffer).setUint32(SERIAL_OFFSET, serial)
      return signed
    },
    token(serial: number, signature: Uint8Array): string {
      tokenView.setUint32(SERIAL_OFFSET, serial)
      token.set(signature, template.length)
      return encodeBase32(token)
    },
  }
}

/** Ed25519 is deterministic, so signing a serial again yields the same signature and token. */
export function createSignatureSigner(privateKey: CryptoKey, batch: { batchId: string; ticketType: string }): BatchSignatureSigner {
  const writer = batchTokenWriter(batch)
  return {
    async sign(serial) {
      return new Uint8Array(await crypto.subtle.sign(ED25519, privateKey, writer.signedBytes(serial)))
    },
    token: (serial, signature) => writer.token(serial, signature),
  }
}

/** Signs the tickets of one batch into tokens. */
export function createBatchSigner(privateKey: CryptoKey, batch: { batchId: string; ticketType: string }) {
  const signer = createSignatureSigner(privateKey, batch)
  return async function signSerial(serial: number): Promise<string> {
    return signer.token(serial, await signer.sign(serial))
  }
}

/**
 * The tokens of consecutive tickets from their signatures alone: what the server rebuilds from a
 * signature chunk. `signatures` holds 64 bytes per ticket, the first for `firstSerial`.
 */
export function tokensFromSignatures(
  batch: { batchId: string; ticketType: string },
  firstSerial: number,
  signatures: Uint8Array,
): string[] {
  if (signatures.length % SIGNATURE_LENGTH !== 0)
    throw new RangeError(`${signatures.length} bytes are not whole ${SIGNATURE_LENGTH}-byte signatures`)
  const writer = batchTokenWriter(batch)
  const tokens: string[] = []
  for (let offset = 0; offset < signatures.length; offset += SIGNATURE_LENGTH) {
    tokens.push(writer.token(firstSerial + offset / SIGNATURE_LENGTH, signatures.subarray(offset, offset + SIGNATURE_LENGTH)))
  }
  return tokens
}

/** The signatures of a run of tokens, 64 bytes each, in order: a signature chunk's body. Undefined if one does not decode. */
export function signaturesOfTokens(tokens: readonly string[]): Uint8Array<ArrayBuffer> | undefined {
  const signatures = new Uint8Array(tokens.length * SIGNATURE_LENGTH)
  for (const [i, token] of tokens.entries()) {
    const decoded = decodeToken(token)
    if (!decoded.ok) return undefined
    signatures.set(decoded.signature, i * SIGNATURE_LENGTH)
  }
  return signatures
}

function joinToken(signed: Uint8Array, signature: Uint8Array): string {
  const bytes = new Uint8Array(signed.length + signature.length)
  bytes.set(signed)
  bytes.set(signature, signed.length)
  return encodeBase32(bytes)
}

/** Checks a token against the batch it should belong to, with public information only. */
export async function verifyToken(token: string, expected: { batchId: string; publicKey: CryptoKey }): Promise<TokenVerdict> {
  const decoded = decodeToken(token)
  if (!decoded.ok) return decoded
  const { payload } = decoded
  if (payload.batchId !== expected.batchId) {
    return { ok: false, reason: 'WRONG_BATCH', message: `token belongs to batch ${payload.batchId}, not ${expected.batchId}`, payload }
  }
  const valid = await crypto.subtle.verify(ED25519, expected.publicKey, decoded.signature, decoded.signedBytes)
  if (!valid) return { ok: false, reason: 'BAD_SIGNATURE', message: 'token signature does not match the batch key', payload }
  return { ok: true, payload }
}
