import assert from 'node:assert/strict'
import { test } from 'node:test'
import { exportPublicKey, generateBatchKeyPair } from '@boxoffice/tickets'
import type { KeyObject } from 'node:crypto'
import { PublicKeyCache } from './public-key-cache.ts'
import { openSslSignatureCheck } from './signature-check.ts'

async function publicKey() {
  return exportPublicKey((await generateBatchKeyPair()).publicKey)
}

test('a batch key is imported once and then served from the cache', async () => {
  const cache = new PublicKeyCache<KeyObject>(openSslSignatureCheck(), 4)
  const key = await publicKey()
  const first = cache.keyFor('a', key)
  assert.equal(first.asymmetricKeyType, 'ed25519')
  assert.equal(cache.keyFor('a', key), first)
})

test('past its capacity the cache drops the least recently used batch', async () => {
  const cache = new PublicKeyCache<KeyObject>(openSslSignatureCheck(), 2)
  const [a, b, c] = [await publicKey(), await publicKey(), await publicKey()]
  const keyA = cache.keyFor('a', a)
  const keyB = cache.keyFor('b', b)
  cache.keyFor('a', a) // a is now more recent than b
  cache.keyFor('c', c)
  assert.equal(cache.size, 2)
  assert.equal(cache.keyFor('a', a), keyA)
  assert.notEqual(cache.keyFor('b', b), keyB, 'b was evicted and imported again')
})

test('a different public key under a cached batch id is imported, not confused with the cached one', async () => {
  const cache = new PublicKeyCache<KeyObject>(openSslSignatureCheck(), 2)
  const cached = cache.keyFor('a', await publicKey())
  const other = await publicKey()
  const imported = cache.keyFor('a', other)
  assert.notEqual(imported, cached)
  assert.equal(imported.export({ format: 'jwk' }).x, other)
})
