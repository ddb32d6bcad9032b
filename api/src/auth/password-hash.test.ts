import assert from 'node:assert/strict'
import { test } from 'node:test'
import { hashPassword, verifyPassword } from './password-hash.ts'

const CHEAP = { N: 1024, r: 8, p: 1 }

test('a hash names scrypt and its parameters, salts each password, and verifies only the right password', async () => {
  const first = await hashPassword('correct horse', CHEAP)
  const second = await hashPassword('correct horse', CHEAP)
  assert.match(first, /^scrypt\$1024\$8\$1\$[\w-]{22}\$[\w-]{43}$/)
  assert.notEqual(first, second, 'a fresh salt each time')
  assert.equal(await verifyPassword('correct horse', first), true)
  assert.equal(await verifyPassword('correct horse', second), true)
  assert.equal(await verifyPassword('correct hors', first), false)
  assert.equal(await verifyPassword('Correct horse', first), false)
})

test('the default parameters are the ones stored, so raising them later keeps old hashes valid', async () => {
  const stored = await hashPassword('correct horse')
  assert.match(stored, /^scrypt\$32768\$8\$3\$/)
  assert.equal(await verifyPassword('correct horse', stored), true)
})

test('the same text in another Unicode normal form is the same password', async () => {
  const stored = await hashPassword('caf\u00e9 au lait', CHEAP)
  assert.equal(await verifyPassword('cafe\u0301 au lait', stored), true)
})

test('a malformed or dangerous stored hash never matches and never throws', async () => {
  const good = await hashPassword('correct horse', CHEAP)
  const [, , , , salt, key] = good.split('$')
  for (const stored of [
    '',
    'plain text',
    `bcrypt$1024$8$1$${salt}$${key}`,
    `scrypt$1000$8$1$${salt}$${key}`,
    `scrypt$${2 ** 24}$8$1$${salt}$${key}`,
    `scrypt$1024$8$1$${salt}$${key}AA`,
    `scrypt$1024$8$1$$${key}`,
  ]) {
    assert.equal(await verifyPassword('correct horse', stored), false, stored)
  }
})

test('unusable parameters are refused when hashing', async () => {
  await assert.rejects(hashPassword('correct horse', { N: 1000, r: 8, p: 1 }), /unusable scrypt parameters/)
})
