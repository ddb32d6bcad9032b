import assert from 'node:assert/strict'
import { test } from 'node:test'
import { exportPublicKey, generateBatchKeyPair } from '@boxoffice/tickets'
import { chooseSignatureCheck, openSslSignatureCheck, sodiumSignatureCheck, loadSodium, type SignatureCheck } from './signature-check.ts'

/** The order of the Ed25519 group, little-endian: S + L is the same scalar, written non-canonically. */
const L = 2n ** 252n + 27742317777372353535851937790883648493n

function addL(signature: Uint8Array): Uint8Array {
  const s = [...signature.subarray(32)].reduceRight((value, byte) => (value << 8n) | BigInt(byte), 0n) + L
  const out = new Uint8Array(signature)
  for (let i = 0, v = s; i < 32; i++, v >>= 8n) out[32 + i] = Number(v & 0xffn)
  return out
}

async function signed(message: Uint8Array) {
  const keys = await generateBatchKeyPair()
  const signature = new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, keys.privateKey, message))
  return { signature, publicKey: await exportPublicKey(keys.publicKey) }
}

const loaded = loadSodium()
const checks: SignatureCheck[] = [openSslSignatureCheck(), ...('sodium' in loaded ? [sodiumSignatureCheck(loaded.sodium)] : [])]

test('libsodium loads here, from the prebuilt binary in the npm package', () => {
  assert.ok('sodium' in loaded, 'error' in loaded ? loaded.error.message : '')
  assert.equal(chooseSignatureCheck('auto').library, 'libsodium')
})

for (const check of checks) {
  test(`${check.library}: a genuine signature verifies; a changed message, signature, key or a non-canonical S does not`, async () => {
    const message = new TextEncoder().encode('ticket 42 of batch x')
    const { signature, publicKey } = await signed(message)
    const key = check.importKey(publicKey)
    assert.equal(check.verify(message, signature, key), true)
    assert.equal(check.verify(new TextEncoder().encode('ticket 43 of batch x'), signature, key), false)
    const flipped = new Uint8Array(signature)
    flipped[10]! ^= 1
    assert.equal(check.verify(message, flipped, key), false)
    assert.equal(check.verify(message, signature.subarray(0, 63), key), false)
    assert.equal(check.verify(message, addL(signature), key), false, 'S ≥ L is refused (one valid signature per message)')
    const other = await signed(message)
    assert.equal(check.verify(message, signature, check.importKey(other.publicKey)), false)
  })

  test(`${check.library}: a key that is not 32 bytes of base64url does not import`, () => {
    assert.throws(() => check.importKey('not a key'))
    assert.throws(() => check.importKey('A'.repeat(10)))
  })
}

test('auto falls back to OpenSSL when libsodium cannot be loaded; asking for libsodium outright fails, naming why', () => {
  const broken = () => {
    throw new Error('no prebuilt binary for this platform')
  }
  assert.equal(chooseSignatureCheck('auto', broken).library, 'openssl')
  assert.throws(
    () => chooseSignatureCheck('libsodium', broken),
    /libsodium \(sodium-native\) cannot be loaded: no prebuilt binary for this platform/,
  )
  assert.equal(chooseSignatureCheck('openssl', broken).library, 'openssl')
  assert.equal(chooseSignatureCheck('auto', () => ({})).library, 'openssl', 'a module without the function is not libsodium')
})
