// Property tests of the token decoder and verifier (fast-check prints the seed and path of any
// failure; pass them back as { seed, path } to replay it). What must hold for any input:
// - decodeToken and verifyToken never throw; a rejection always carries one of the known reasons;
// - no text but the real token verifies for a ticket: a ticket has exactly one valid token, which is
//   what lets the API treat a chunk with a different digest as a different chunk.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { decodeBase32, encodeBase32 } from './base32.ts'
import { generateBatchKeyPair } from './keys.ts'
import { decodeToken, encodePayload, signToken, verifyToken } from './token.ts'
import { base32Text, mutatedToken } from './testing/index.ts'
import { uuidToBytes } from './uuid.ts'

const DECODE_REASONS = ['BAD_ENCODING', 'UNKNOWN_VERSION']
const VERIFY_REASONS = ['BAD_ENCODING', 'UNKNOWN_VERSION', 'WRONG_BATCH', 'BAD_SIGNATURE']

const keys = await generateBatchKeyPair()
const batchId = '3f1c2a4e-8b7d-4c6a-9e21-5d0f7a9b1c23'
const expected = { batchId, publicKey: keys.publicKey }
const realTokens = await Promise.all(
  [0, 1, 49, 999_999].map((serial) => signToken(keys.privateKey, { batchId, serial, ticketType: 'General admission' })),
)

/** Any string at all: every code point, lone surrogates, a byte-order mark, control characters. */
const anyText = fc.string({
  unit: fc.oneof(
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    fc.constantFrom('\ud800', '\udfff', '\ufeff', '\u0000', 'a', '='),
  ),
  maxLength: 400,
})

function assertRejected(verdict: Awaited<ReturnType<typeof verifyToken>>, reasons: string[]) {
  assert.equal(verdict.ok, false)
  if (!verdict.ok) assert.ok(reasons.includes(verdict.reason), verdict.reason)
}

describe('decodeToken and verifyToken, for any input', () => {
  test('any string: decodeToken never throws, and answers a payload or a known reason', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, base32Text(300)), (text) => {
        const decoded = decodeToken(text)
        if (!decoded.ok) assert.ok(DECODE_REASONS.includes(decoded.reason), decoded.reason)
      }),
      { numRuns: 3000 },
    )
  })

  test('any bytes, base32-encoded: neither throws, and nothing verifies', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), async (bytes) => {
        const token = encodeBase32(bytes)
        const decoded = decodeToken(token)
        if (!decoded.ok) assert.ok(DECODE_REASONS.includes(decoded.reason))
        assertRejected(await verifyToken(token, expected), VERIFY_REASONS)
      }),
      { numRuns: 1000 },
    )
  })

  test('well-formed tokens of this batch with any type and any signature bytes: BAD_SIGNATURE (or BAD_ENCODING for a type that is not UTF-8)', async () => {
    const wellFormed = fc.record({
      serial: fc.nat({ max: 0xffffffff }),
      type: fc.uint8Array({ maxLength: 60 }),
      signature: fc.uint8Array({ minLength: 64, maxLength: 64 }),
    })
    await fc.assert(
      fc.asyncProperty(wellFormed, async ({ serial, type, signature }) => {
        const bytes = new Uint8Array(22 + type.length + 64)
        bytes[0] = 1
        bytes.set(uuidToBytes(batchId), 1)
        new DataView(bytes.buffer).setUint32(17, serial)
        bytes[21] = type.length
        bytes.set(type, 22)
        bytes.set(signature, 22 + type.length)
        assertRejected(await verifyToken(encodeBase32(bytes), expected), ['BAD_SIGNATURE', 'BAD_ENCODING'])
      }),
      { numRuns: 500 },
    )
  })
})

describe('a ticket has exactly one valid token', () => {
  test('every mutation of a real token (characters replaced, inserted, deleted, swapped or lower-cased, truncation, appended text) is rejected', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...realTokens).chain(mutatedToken), async (mutated) => {
        assertRejected(await verifyToken(mutated, expected), VERIFY_REASONS)
      }),
      { numRuns: 2000 },
    )
  })

  test('base32 text decodes only if it is the one encoding of its bytes', () => {
    fc.assert(
      fc.property(base32Text(200), (text) => {
        const bytes = decodeBase32(text)
        if (bytes) assert.equal(encodeBase32(bytes), text)
      }),
      { numRuns: 3000 },
    )
  })

  test('the payload decodes to exactly what was signed, for any ticket type (a leading byte-order mark included)', () => {
    const ticketType = fc.string({ unit: 'binary', maxLength: 40 }).filter((type) => new TextEncoder().encode(type).length <= 255)
    fc.assert(
      fc.property(fc.nat({ max: 0xffffffff }), ticketType, (serial, type) => {
        const signed = encodePayload({ batchId, serial, ticketType: type })
        const decoded = decodeToken(encodeBase32(Uint8Array.from([...signed, ...new Uint8Array(64)])))
        assert.ok(decoded.ok)
        assert.deepEqual(decoded.payload, { version: 1, batchId, serial, ticketType: type })
      }),
      // A decoder that drops a leading U+FEFF would read two different signed types as one, and
      // refuse every ticket of a batch whose type starts with it.
      {
        numRuns: 2000,
        examples: [
          [7, '\ufeffVIP'],
          [0, '\ufeff'],
        ],
      },
    )
  })

  test('a signature made malleable (S + L, the group order added) is rejected', async () => {
    const L = 2n ** 252n + 27742317777372353535851937790883648493n
    for (const token of realTokens) {
      const bytes = decodeBase32(token)!
      const s = bytes.subarray(bytes.length - 32) // little-endian scalar S of the signature (R ‖ S)
      let value = 0n
      for (let i = 31; i >= 0; i--) value = (value << 8n) | BigInt(s[i]!)
      value += L
      for (let i = 0; i < 32; i++) s[i] = Number((value >> BigInt(8 * i)) & 0xffn)
      assertRejected(await verifyToken(encodeBase32(bytes), expected), ['BAD_SIGNATURE'])
    }
  })
})
