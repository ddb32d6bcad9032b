import assert from 'node:assert/strict'
import { test } from 'node:test'
import { exportPublicKey, generateBatchKeyPair } from '@boxoffice/tickets'
import { ed25519PublicKeyProblem } from './ed25519-public-key.ts'

test('public keys exported from generated key pairs are accepted', async () => {
  for (let i = 0; i < 20; i++) {
    const { publicKey } = await generateBatchKeyPair()
    assert.equal(ed25519PublicKeyProblem(await exportPublicKey(publicKey)), undefined)
  }
})

test('32 bytes that are not a curve point are rejected', () => {
  // 0x02 repeated: y² − 1 over d·y² + 1 has no square root mod p.
  assert.match(ed25519PublicKeyProblem(Buffer.alloc(32, 2).toString('base64url'))!, /not a point on the Ed25519 curve/)
  // y ≥ p is not a canonical encoding: p + 3 reduces to 3, a point of large order.
  const yEqualsPPlus3 = Buffer.alloc(32, 0xff)
  yEqualsPPlus3[0] = 0xf0
  yEqualsPPlus3[31] = 0x7f
  assert.match(ed25519PublicKeyProblem(yEqualsPPlus3.toString('base64url'))!, /not a canonical point encoding/)
})

test('a key that is not 32 bytes, or not canonical base64url, is rejected', async () => {
  assert.match(ed25519PublicKeyProblem(Buffer.alloc(31, 1).toString('base64url'))!, /32 raw key bytes/)
  assert.match(ed25519PublicKeyProblem('!'.repeat(43))!, /32 raw key bytes/)
  const valid = await exportPublicKey((await generateBatchKeyPair()).publicKey)
  // 43 characters carry 258 bits: the last 2 are padding, zero in the canonical spelling. Setting
  // one spells the same 32 bytes another way, which would defeat the replay comparison.
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
  const sloppy = valid.slice(0, -1) + alphabet[alphabet.indexOf(valid.at(-1)!) | 1]
  assert.notEqual(sloppy, valid)
  assert.match(ed25519PublicKeyProblem(sloppy)!, /not canonical/)
})
