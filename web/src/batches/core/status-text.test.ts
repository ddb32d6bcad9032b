import { progressDetail, serverBatchGenerated } from './status-text.ts'
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { BatchProgress } from './batch-progress.ts'
import { statusText } from './status-text.ts'

const base: BatchProgress = {
  id: 'b',
  event: 'Gala',
  ticketType: 'VIP',
  quantity: 100,
  generated: 0,
  uploaded: 0,
  phase: 'generating',
  preview: [],
  generateRate: 0,
  uploadRate: 0,
}

test('waiting for the network shows what failed, the countdown and the attempt', () => {
  const progress: BatchProgress = {
    ...base,
    phase: 'waiting-network',
    retry: { at: 10_500, attempt: 3, operation: 'chunk 12', reason: '503 UNAVAILABLE' },
  }
  assert.equal(statusText(progress, 6_000), 'Waiting for network: chunk 12 failed (503 UNAVAILABLE); retrying in 5 s (attempt 3)')
  assert.match(statusText(progress, 20_000), /retrying in 0 s/)
})

test('a failure shows the reason; the other phases read plainly', () => {
  assert.equal(
    statusText({ ...base, phase: 'failed', failure: { message: 'Server rejected chunk 1 (tickets 50–99): bad' } }, 0),
    'Failed: Server rejected chunk 1 (tickets 50–99): bad',
  )
  assert.equal(statusText({ ...base, phase: 'completed' }, 0), 'Completed: all 100 tickets are on the server')
  assert.equal(
    statusText({ ...base, quantity: 10_000, phase: 'completed', tookMs: 12_500 }, 0),
    'Completed in 0:13: all 10,000 tickets are on the server (800/s overall)',
  )
  assert.equal(statusText({ ...base, phase: 'elsewhere' }, 0), 'Uploading in another tab')
  assert.equal(statusText({ ...base, phase: 'paused' }, 0), 'Paused')
})

test('a batch stopped by full storage says how far generation got and what to do', () => {
  const progress: BatchProgress = {
    ...base,
    quantity: 20_000,
    generated: 9_800,
    uploaded: 9_800,
    phase: 'failed',
    failure: {
      message: 'This browser ran out of storage space while staging tickets. Everything staged so far is kept.',
      code: 'STORAGE_FULL',
    },
  }
  assert.equal(
    statusText(progress, 0),
    'Stopped: this browser ran out of storage space after generating 9,800 of 20,000 tickets. Nothing generated is lost. Free some space, then Resume to generate the rest.',
  )
})

test('under a bar: the rate and time left while it runs, and once done that it is done, with the rate when it was measured', () => {
  assert.equal(progressDetail(500, 10_000, 950), '950/s · 0:10 left')
  assert.equal(progressDetail(0, 10_000, 0), 'Measuring the rate…')
  assert.equal(progressDetail(10_000, 10_000, 4_800), 'All 10,000 done, at 4,800/s')
  // After a reload this page measured nothing: no "– · ETA done".
  assert.equal(progressDetail(10_000, 10_000, 0), 'All 10,000 done')
})

test('the batch list says what was generated for a batch this browser no longer holds', () => {
  assert.equal(serverBatchGenerated({ state: 'completed', quantity: 2_000 }), '2,000')
  assert.equal(serverBatchGenerated({ state: 'open', quantity: 2_000 }), 'in another browser')
  assert.equal(serverBatchGenerated({ state: 'cancelled', quantity: 2_000 }), 'not kept')
})
