import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { CheckinSyncItemResult } from '@boxoffice/tickets'
import { addSyncResults, EMPTY_SYNC_SUMMARY, syncCountsText, syncedRecord } from './sync-summary.ts'
import { localCheckin } from './testing/signed-batch.ts'

const BATCH = '3f1c2a4e-8b7d-4c6a-9e21-5d0f7a9b1c23'
const ticket = (serial: number) => ({ batchId: BATCH, serial, ticketType: 'General', event: 'Spring Gala' })
const sent = [0, 1, 2, 3].map((serial) => localCheckin({ batchId: BATCH, serial, checkedInAt: `2026-11-29T19:0${serial}:00.000Z` }))
const results: CheckinSyncItemResult[] = [
  { result: 'accepted', checkedInAt: '2026-11-29T19:00:00.000Z', ticket: ticket(0) },
  {
    result: 'conflict',
    checkedInAt: '2026-11-29T19:01:00.000Z',
    firstCheckedInAt: '2026-11-29T18:00:00.000Z',
    firstDeviceId: 'gate-1',
    ticket: ticket(1),
  },
  { result: 'invalid', reason: 'REVOKED', message: 'ticket 2 was revoked', ticket: ticket(2) },
  { result: 'accepted', checkedInAt: '2026-11-29T19:03:00.000Z', ticket: ticket(3) },
]

test('a sync answer is counted, and each conflict names the ticket and its first check-in', () => {
  const summary = addSyncResults(EMPTY_SYNC_SUMMARY, sent, results)
  assert.equal(summary.accepted, 2)
  assert.deepEqual(summary.conflicts, [
    {
      ticketNumber: '3F1C2A4E-0000001',
      event: 'Spring Gala',
      checkedInAt: '2026-11-29T19:01:00.000Z',
      firstCheckedInAt: '2026-11-29T18:00:00.000Z',
      firstDeviceId: 'gate-1',
    },
  ])
  assert.deepEqual(summary.invalid, [
    { ticketNumber: '3F1C2A4E-0000002', checkedInAt: '2026-11-29T19:02:00.000Z', reason: 'REVOKED', message: 'ticket 2 was revoked' },
  ])
  assert.equal(syncCountsText(summary), '2 accepted, 1 conflict, 1 invalid')
})

test('several answers add up, and the summary passed in is left as it was', () => {
  const first = addSyncResults(EMPTY_SYNC_SUMMARY, sent.slice(0, 2), results.slice(0, 2))
  const both = addSyncResults(first, sent.slice(2), results.slice(2))
  assert.deepEqual(both, addSyncResults(EMPTY_SYNC_SUMMARY, sent, results))
  assert.equal(first.accepted, 1)
  assert.equal(EMPTY_SYNC_SUMMARY.accepted, 0)
  assert.equal(syncCountsText(EMPTY_SYNC_SUMMARY), '0 accepted, 0 conflicts, 0 invalid')
})

test('an answer that does not match what was sent one for one is refused', () => {
  assert.throws(() => addSyncResults(EMPTY_SYNC_SUMMARY, sent, results.slice(1)), /answered 3 check-ins of 4/)
})

test('each record takes the state the server gave it, with the first check-in or the reason', () => {
  assert.deepEqual(syncedRecord(sent[0]!, results[0]!), { ...sent[0], sync: 'synced' })
  assert.deepEqual(syncedRecord(sent[1]!, results[1]!), {
    ...sent[1],
    sync: 'conflict',
    firstCheckedInAt: '2026-11-29T18:00:00.000Z',
    firstDeviceId: 'gate-1',
  })
  assert.deepEqual(syncedRecord(sent[2]!, results[2]!), { ...sent[2], sync: 'invalid', reason: 'REVOKED', message: 'ticket 2 was revoked' })
})
