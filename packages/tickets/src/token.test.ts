import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import {
  createBatchSigner,
  createSignatureSigner,
  decodeToken,
  signaturesOfTokens,
  tokensFromSignatures,
  generateBatchKeyPair,
  importPublicKey,
  signToken,
  verifyToken,
  exportPublicKey,
} from './index.ts'

const vectors = JSON.parse(readFileSync(new URL('../test-vectors/tokens.json', import.meta.url), 'utf8'))
const ED25519 = { name: 'Ed25519' } as const

async function importPrivateKey(jwk: JsonWebKey) {
  return crypto.subtle.importKey('jwk', jwk, ED25519, false, ['sign'])
}

describe('token test vectors (Node WebCrypto)', () => {
  for (const vector of vectors.signatures) {
    test(`signing serial ${vector.payload.serial} of "${vector.payload.ticketType}" reproduces the committed token`, async () => {
      const privateKey = await importPrivateKey(vector.privateKeyJwk)
      const { version: _version, ...payload } = vector.payload
      assert.equal(await signToken(privateKey, payload), vector.token)
      const signSerial = createBatchSigner(privateKey, { batchId: payload.batchId, ticketType: payload.ticketType })
      assert.equal(await signSerial(payload.serial), vector.token)
      const signer = createSignatureSigner(privateKey, { batchId: payload.batchId, ticketType: payload.ticketType })
      const signature = await signer.sign(payload.serial)
      assert.equal(signer.token(payload.serial, signature), vector.token)
      assert.deepEqual(tokensFromSignatures(payload, payload.serial, signature), [vector.token])
    })

    test(`the committed token for serial ${vector.payload.serial} verifies with the public key alone`, async () => {
      const publicKey = await importPublicKey(vector.publicKey)
      const verdict = await verifyToken(vector.token, { batchId: vector.payload.batchId, publicKey })
      assert.deepEqual(verdict, { ok: true, payload: vector.payload })
    })
  }

  for (const rejection of vectors.rejections) {
    test(`rejects ${rejection.description} as ${rejection.reason}`, async () => {
      const publicKey = await importPublicKey(rejection.publicKey)
      const verdict = await verifyToken(rejection.token, { batchId: rejection.batchId, publicKey })
      assert.equal(verdict.ok, false)
      assert.equal(!verdict.ok && verdict.reason, rejection.reason)
    })
  }
})

describe('token round trip', () => {
  test('a freshly generated key signs tokens that verify and decode to the same payload', async () => {
    const { privateKey, publicKey } = await generateBatchKeyPair()
    const batchId = crypto.randomUUID()
    const signSerial = createBatchSigner(privateKey, { batchId, ticketType: 'Balcony' })
    for (const serial of [0, 1, 50, 999_999]) {
      const token = await signSerial(serial)
      assert.deepEqual(await verifyToken(token, { batchId, publicKey }), {
        ok: true,
        payload: { version: 1, batchId, serial, ticketType: 'Balcony' },
      })
    }
  })

  test('tokens rebuilt from a run of signatures are the tokens the signer makes, serial by serial', async () => {
    const { privateKey } = await generateBatchKeyPair()
    const batch = { batchId: crypto.randomUUID(), ticketType: 'Stalls' }
    const signer = createSignatureSigner(privateKey, batch)
    const signSerial = createBatchSigner(privateKey, batch)
    const serials = [150, 151, 152]
    const signatures = new Uint8Array(serials.length * 64)
    for (const [i, serial] of serials.entries()) signatures.set(await signer.sign(serial), i * 64)
    assert.deepEqual(tokensFromSignatures(batch, 150, signatures), await Promise.all(serials.map(signSerial)))
    assert.throws(() => tokensFromSignatures(batch, 150, signatures.subarray(1)), /not whole 64-byte signatures/)
    const tokens = await Promise.all(serials.map(signSerial))
    assert.deepEqual(signaturesOfTokens(tokens), signatures)
    assert.equal(signaturesOfTokens([tokens[0]!, 'NOT-BASE32']), undefined)
  })

  test('the private key cannot be exported, the public key can', async () => {
    const { privateKey, publicKey } = await generateBatchKeyPair()
    await assert.rejects(crypto.subtle.exportKey('jwk', privateKey))
    assert.match(await exportPublicKey(publicKey), /^[A-Za-z0-9_-]{43}$/)
  })

  test('flipping any single byte of a token is rejected', async () => {
    const vector = vectors.signatures[0]
    const publicKey = await importPublicKey(vector.publicKey)
    const { decodeBase32, encodeBase32 } = await import('./base32.ts')
    const bytes = decodeBase32(vector.token)!
    for (let i = 0; i < bytes.length; i++) {
      const mutated = bytes.slice()
      mutated[i]! ^= 0x01
      const verdict = await verifyToken(encodeBase32(mutated), { batchId: vector.payload.batchId, publicKey })
      assert.equal(verdict.ok, false, `byte ${i} flipped was accepted`)
    }
  })

  test('a token signed by another batch key, claiming this batch, fails the signature check', async () => {
    const mine = await generateBatchKeyPair()
    const theirs = await generateBatchKeyPair()
    const batchId = crypto.randomUUID()
    const forged = await signToken(theirs.privateKey, { batchId, serial: 3, ticketType: 'General' })
    const verdict = await verifyToken(forged, { batchId, publicKey: mine.publicKey })
    assert.equal(!verdict.ok && verdict.reason, 'BAD_SIGNATURE')
  })

  test('decodeToken names the problem without throwing on garbage', () => {
    for (const input of ['', 'A', '!!!!', 'AAAAAAAA', 'a'.repeat(149), 'Z'.repeat(5000), 42 as unknown as string]) {
      const decoded = decodeToken(input)
      assert.equal(decoded.ok, false)
      assert.ok(!decoded.ok && ['BAD_ENCODING', 'UNKNOWN_VERSION'].includes(decoded.reason))
    }
  })
})
