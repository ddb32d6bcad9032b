// The load test, shortened for the normal test run: two box offices upload 5,000-ticket batches at
// once against the real server in its own process, first undisturbed, then with the server killed
// (SIGKILL) half-way and started again; then the same on PostgreSQL with three instances behind
// nginx, one of them killed and restarted. Every batch must end exactly right and nothing may be
// given up. `pnpm loadtest` runs the full size (8 × 100,000).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { runLoadTest } from './load-test.ts'
import { DEFAULT_OPTIONS } from './options.ts'
import { formatPhase } from './report.ts'

// The browser's backoff grows to 30 s; a shorter one keeps these tests short without changing what is retried.
const SHORT_BACKOFF = { initialDelayMs: 100, maxDelayMs: 1_000, multiplier: 2, maxRetryAfterMs: 5_000 }

// 20 s on this 2-core machine at a load average of 6.6, 105 s at 14: the timeout allows for a busy machine.
test(
  '2 box offices × 5,000 tickets, without and with a server crash-restart: every batch exact, nothing given up',
  { timeout: 300_000 },
  async () => {
    const { results } = await runLoadTest({ ...DEFAULT_OPTIONS, offices: 2, ticketsPerOffice: 5_000 }, { retryPolicy: SHORT_BACKOFF })
    assert.deepEqual(
      results.map((result) => result.phase),
      ['steady', 'restart'],
    )
    for (const result of results) {
      const report = formatPhase(result)
      assert.ok(result.exact, report)
      assert.equal(result.storedTickets, 10_000, report)
      for (const office of result.offices) assert.deepEqual(office.givenUp, [], report)
      for (const end of result.endStates) assert.deepEqual(end.problems, [], report)
    }
    const [steady, restart] = results as [(typeof results)[0], (typeof results)[0]]
    assert.equal(steady.restart, undefined)
    assert.ok(restart.restart, 'the server was restarted')
    assert.ok(restart.restart.ackedBeforeKill >= 5_000 && restart.restart.ackedBeforeKill < 10_000, formatPhase(restart))
    // The kill was felt: requests failed on the network and were retried.
    const networkRetries = restart.offices.flatMap((office) => [...office.retries]).filter(([reason]) => reason.startsWith('network'))
    assert.ok(networkRetries.length > 0, formatPhase(restart))
  },
)

test(
  'PostgreSQL, 3 instances behind nginx, 2 box offices × 5,000 tickets, one instance killed and restarted: every batch exact, nothing given up',
  { timeout: 300_000 },
  async () => {
    const { results } = await runLoadTest(
      { ...DEFAULT_OPTIONS, offices: 2, ticketsPerOffice: 5_000, phases: ['restart'], db: 'postgres', instances: 3 },
      { retryPolicy: SHORT_BACKOFF },
    )
    const [restart] = results as [(typeof results)[0]]
    const report = formatPhase(restart)
    assert.ok(restart.exact, report)
    assert.equal(restart.storedTickets, 10_000, report)
    for (const office of restart.offices) assert.deepEqual(office.givenUp, [], report)
    for (const end of restart.endStates) assert.deepEqual(end.problems, [], report)
    assert.ok(restart.restart, 'an instance was restarted')
    assert.ok(restart.restart.ackedBeforeKill >= 5_000 && restart.restart.ackedBeforeKill < 10_000, report)
  },
)
