import assert from 'node:assert/strict'
import { test } from 'node:test'
import { chartBars, chartSummary, clockTime, nextPollMs } from './checkin-chart.ts'

const buckets = [
  { start: '2026-12-31T19:00:00.000Z', count: 10 },
  { start: '2026-12-31T19:15:00.000Z', count: 40 },
]

test('one slot per 5 minutes from the first to the last, gaps empty, at most 24 wide, scaled to the busiest', () => {
  const bars = chartBars(buckets, 400, 100)
  assert.deepEqual(
    bars.map((bar) => [bar.start.slice(11, 16), bar.count, bar.x, bar.height]),
    [
      ['19:00', 10, 0, 25],
      ['19:05', 0, 24, 0],
      ['19:10', 0, 48, 0],
      ['19:15', 40, 72, 100],
    ],
  )
  assert.deepEqual(chartBars([], 400, 100), [])
  // Many slots share the width.
  assert.equal(chartBars([buckets[0]!, { start: '2026-12-31T23:55:00.000Z', count: 1 }], 600, 100)[1]!.x, 600 / 60)
})

test('times in the event zone, a summary in words, and the polling schedule', () => {
  assert.equal(clockTime('2026-12-31T19:15:00.000Z', 'Europe/Berlin'), '20:15')
  assert.equal(chartSummary(buckets, 'Europe/Berlin'), 'Check-ins per 5 minutes: 50 in all, the most (40) from 20:15.')
  assert.equal(chartSummary([], 'UTC'), 'No check-ins yet.')
  assert.deepEqual([0, 1, 2, 5].map(nextPollMs), [3_000, 6_000, 12_000, 30_000])
})
