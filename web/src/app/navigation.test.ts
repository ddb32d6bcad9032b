import assert from 'node:assert/strict'
import { test } from 'node:test'
import { PAGE_HASHES, pageFromHash } from './navigation.svelte.ts'

test('#checkin is the Check-in page; no hash, #batches and anything else are the batches page', () => {
  assert.equal(pageFromHash(PAGE_HASHES.checkin), 'checkin')
  for (const hash of ['', '#', '#batches', '#check', '#CHECKIN'])
    assert.equal(pageFromHash(hash), 'batches', `hash ${JSON.stringify(hash)}`)
})
