import assert from 'node:assert/strict'
import { test } from 'node:test'
import { PAGE_HASHES, pageFor, pageFromHash, pagesOf } from './navigation.svelte.ts'

test('#checkin is the Check-in page; no hash, #batches and anything else are the batches page', () => {
  assert.equal(pageFromHash(PAGE_HASHES.checkin), 'checkin')
  for (const hash of ['', '#', '#batches', '#check', '#CHECKIN'])
    assert.equal(pageFromHash(hash), 'batches', `hash ${JSON.stringify(hash)}`)
})

test('a gate has only the Check-in page, whatever it asks for; staff have no Admin page; admins have every page', () => {
  assert.deepEqual(pagesOf('gate'), ['checkin'])
  assert.equal(pageFor('gate', 'batches'), 'checkin')
  assert.equal(pageFor('gate', 'admin'), 'checkin')
  assert.equal(pageFor('staff', 'admin'), 'batches')
  assert.equal(pageFor('staff', 'lookup'), 'lookup')
  assert.equal(pageFor('admin', 'admin'), 'admin')
  assert.deepEqual(pagesOf('admin'), Object.keys(PAGE_HASHES))
})
