import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ed25519PublicKeyProblem } from './ed25519-public-key.ts'
import { decodeBase64Url } from './base64url.ts'
import { exportPublicKey, generateBatchKeyPair, importPublicKey } from './keys.ts'
import { SMALL_ORDER_KEYS } from './testing/index.ts'

test('each of the 14 encodings of a small-order point is refused as one, naming its order', async () => {
  assert.equal(SMALL_ORDER_KEYS.length, 14)
  for (const { name, publicKey } of SMALL_ORDER_KEYS) {
    assert.match(
      ed25519PublicKeyProblem(decodeBase64Url(publicKey)!) ?? 'accepted',
      /^public key is a small-order point \(order [1248]\)/,
      name,
    )
    await assert.rejects(importPublicKey(publicKey), /small-order point/, name)
  }
})

test('keys of generated key pairs are accepted and import', async () => {
  for (let i = 0; i < 20; i++) {
    const publicKey = await exportPublicKey((await generateBatchKeyPair()).publicKey)
    assert.equal(ed25519PublicKeyProblem(decodeBase64Url(publicKey)!), undefined)
    await importPublicKey(publicKey)
  }
})

test('bytes off the curve, other non-canonical encodings and other lengths are refused', () => {
  assert.match(ed25519PublicKeyProblem(new Uint8Array(32).fill(2))!, /not a point on the Ed25519 curve/)
  // y = p + 3 ≡ 3: a point, but not written canonically.
  const pPlus3 = new Uint8Array(32).fill(0xff)
  pPlus3[0] = 0xf0
  pPlus3[31] = 0x7f
  assert.match(ed25519PublicKeyProblem(pPlus3)!, /not a canonical point encoding/)
  assert.match(ed25519PublicKeyProblem(new Uint8Array(31))!, /32 raw key bytes/)
})
