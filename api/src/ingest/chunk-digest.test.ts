import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { test } from 'node:test'
import { chunkDigest } from './chunk-digest.ts'

test('the digest is hex SHA-256 of the tokens joined by newlines, in upload order', () => {
  const expected = createHash('sha256').update('AAAA\nBBBB').digest('hex')
  assert.equal(chunkDigest(['AAAA', 'BBBB']), expected)
  assert.notEqual(chunkDigest(['BBBB', 'AAAA']), expected)
})
