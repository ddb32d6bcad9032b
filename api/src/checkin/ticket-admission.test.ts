import assert from 'node:assert/strict'
import { test } from 'node:test'
import { normalizeTime } from './ticket-admission.ts'

test('a scan time is normalised to toISOString form', () => {
  assert.equal(normalizeTime('2026-05-01T19:00:00Z', 't'), '2026-05-01T19:00:00.000Z')
  assert.equal(normalizeTime('2028-02-29T23:59:59.5Z', 't'), '2028-02-29T23:59:59.500Z')
})

test('a time no clock shows is refused, not rolled over to another day', () => {
  for (const time of [
    '2026-02-30T10:00:00Z',
    '2026-02-29T10:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-01-01T24:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-01-01T10:60:00Z',
  ]) {
    assert.throws(
      () => normalizeTime(time, 'body/checkedInAt'),
      { code: 'INVALID_REQUEST', message: `body/checkedInAt ${JSON.stringify(time)} is not a valid date and time` },
      time,
    )
  }
})
