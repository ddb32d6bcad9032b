import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { CheckinVerdict } from './checkin-verdict.ts'
import {
  CHECKIN_PROBLEMS,
  deviceLabel,
  formatCheckinTime,
  headline,
  pendingText,
  refusalText,
  ticketLine,
  verdictDetail,
} from './checkin-text.ts'

const ticket = {
  batchId: '3f1c2a4e-8b7d-4c6a-9e21-5d0f7a9b1c23',
  serial: 42,
  ticketType: 'VIP',
  event: 'Spring Gala',
  price: { amountMinor: 4500, currency: 'EUR' },
}
const at = '2026-11-29T19:30:05.000Z'

test('each verdict has one of the three headlines', () => {
  assert.equal(headline({ result: 'valid', checkedInAt: at, ticket, decidedBy: 'server' }), 'Valid')
  assert.equal(
    headline({ result: 'already-checked-in', checkedInAt: at, deviceId: null, ticket, decidedBy: 'server' }),
    'Already checked in',
  )
  assert.equal(headline({ result: 'invalid', reason: 'BAD_SIGNATURE', message: 'm', decidedBy: 'device' }), 'Invalid')
})

test('times read as clock time and date in the given zone', () => {
  assert.equal(formatCheckinTime(at, 'UTC'), '19:30:05, 29 Nov 2026')
  assert.equal(formatCheckinTime(at, 'Europe/Berlin'), '20:30:05, 29 Nov 2026')
  assert.equal(formatCheckinTime('soon', 'UTC'), 'soon')
})

test('the detail says when, by which device, and whether it still has to sync', () => {
  const own = 'web-1'
  assert.equal(
    verdictDetail({ result: 'valid', checkedInAt: at, ticket, decidedBy: 'server' }, own, 'UTC'),
    'Checked in at 19:30:05, 29 Nov 2026.',
  )
  assert.equal(
    verdictDetail({ result: 'valid', checkedInAt: at, ticket, decidedBy: 'device' }, own, 'UTC'),
    'Checked in offline on this device at 19:30:05, 29 Nov 2026; waiting to sync.',
  )
  assert.equal(
    verdictDetail({ result: 'already-checked-in', checkedInAt: at, deviceId: 'gate-1', ticket, decidedBy: 'server' }, own, 'UTC'),
    'First checked in at 19:30:05, 29 Nov 2026 by device gate-1.',
  )
  assert.equal(
    verdictDetail({ result: 'already-checked-in', checkedInAt: at, deviceId: own, ticket, decidedBy: 'device' }, own, 'UTC'),
    'First checked in at 19:30:05, 29 Nov 2026 by this device (as this device knows offline).',
  )
  assert.equal(
    verdictDetail({ result: 'invalid', reason: 'NOT_PREPARED', message: 'm', decidedBy: 'device' }, own),
    'Batch not prepared for offline check-in on this device.',
  )
})

test('devices are named, with this one and an unnamed one said in words', () => {
  assert.equal(deviceLabel('gate-1', 'web-1'), 'device gate-1')
  assert.equal(deviceLabel('web-1', 'web-1'), 'this device')
  assert.equal(deviceLabel(null, 'web-1'), 'a device that gave no id')
})

test('every refusal reason has words, and revocations say so', () => {
  assert.equal(refusalText('REVOKED'), 'Revoked ticket')
  assert.match(refusalText('BAD_SIGNATURE'), /signature/)
})

test('the ticket line gives number, event, type and price; a refused forgery names no ticket', () => {
  const verdict: CheckinVerdict = { result: 'valid', checkedInAt: at, ticket, decidedBy: 'server' }
  assert.deepEqual(ticketLine(verdict), { number: '3F1C2A4E-0000042', event: 'Spring Gala', ticketType: 'VIP', price: '45.00 EUR' })
  assert.equal(ticketLine({ result: 'invalid', reason: 'BAD_SIGNATURE', message: 'm', decidedBy: 'device' }), undefined)
})

test('the count of check-ins waiting to sync reads as a sentence', () => {
  assert.equal(pendingText(0), 'No check-ins waiting to sync')
  assert.equal(pendingText(1), '1 check-in waiting to sync')
  assert.equal(pendingText(1_200), '1,200 check-ins waiting to sync')
})

test('problems say what failed and what happens to the check-ins', () => {
  assert.equal(CHECKIN_PROBLEMS.notCheckedIn(new Error('disk full')), 'Not checked in: disk full. Do not admit this ticket yet; try again.')
  assert.equal(
    CHECKIN_PROBLEMS.syncFailed(new TypeError('Failed to fetch')),
    'Failed to fetch. The check-ins stay on this device and are sent again.',
  )
  assert.equal(CHECKIN_PROBLEMS.prepareFailed('no answer within 30 s'), 'Could not prepare for offline check-in (no answer within 30 s).')
})
