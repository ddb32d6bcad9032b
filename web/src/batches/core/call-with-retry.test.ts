import assert from 'node:assert/strict'
import { test } from 'node:test'
import { abortable } from '../../shared/core/abort.ts'
import { callWithRetry } from './call-with-retry.ts'
import type { Outcome } from '../../shared/core/request-failure.ts'
import type { Connectivity } from '../ports.ts'
import { RecoveryBeacon } from './recovery-beacon.ts'
import { DEFAULT_RETRY_POLICY, type RequestFailure } from './retry-policy.ts'

/** Online, and every sleep lasts until the test ends it (or it is aborted). */
class HeldSleeps implements Connectivity {
  sleeps: { ms: number; end: () => void }[] = []
  isOnline() {
    return true
  }
  async waitUntilOnline() {}
  sleep(ms: number, signal: AbortSignal) {
    return abortable(signal, (resolve) => {
      this.sleeps.push({ ms, end: resolve })
      return () => {}
    })
  }
  now() {
    return 0
  }
}

/** A call that answers `failures` in turn, then succeeds with `value`; counts its attempts. */
function scripted<T>(value: T, failures: RequestFailure[]) {
  const script = {
    attempts: 0,
    call: async (): Promise<Outcome<T>> => {
      const failure = failures[script.attempts++]
      return failure ? { ok: false, failure } : { ok: true, value }
    },
  }
  return script
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 5))
const networkError: RequestFailure = { kind: 'network', message: 'connection reset' }

test('a retry backing off goes again as soon as another call sharing its beacon succeeds', async () => {
  const connectivity = new HeldSleeps()
  const recovery = new RecoveryBeacon()
  const context = { policy: DEFAULT_RETRY_POLICY, connectivity, recovery, signal: new AbortController().signal, random: () => 0.99 }
  const waiting = scripted('chunk 3', [networkError, networkError])
  const result = callWithRetry('chunk 3', waiting.call, context)
  await settle()
  assert.equal(waiting.attempts, 1)
  assert.equal(connectivity.sleeps.length, 1, 'backing off')

  assert.equal(await callWithRetry('chunk 4', scripted('chunk 4', []).call, context), 'chunk 4')
  await settle()
  assert.equal(waiting.attempts, 2, 'woken before its backoff ended')
  assert.equal(connectivity.sleeps.length, 2, 'and backing off again after its second failure')

  await callWithRetry('chunk 5', scripted('chunk 5', []).call, context)
  assert.equal(await result, 'chunk 3')
  assert.equal(waiting.attempts, 3)
})

test('a wait the server asked for (Retry-After) is kept in full, whatever else succeeds', async () => {
  const connectivity = new HeldSleeps()
  const recovery = new RecoveryBeacon()
  const context = { policy: DEFAULT_RETRY_POLICY, connectivity, recovery, signal: new AbortController().signal }
  const busy: RequestFailure = { kind: 'http', status: 503, code: 'STORAGE_UNAVAILABLE', message: 'busy', retryAfterMs: 30_000 }
  const waiting = scripted('chunk 3', [busy])
  const result = callWithRetry('chunk 3', waiting.call, context)
  await settle()
  await callWithRetry('chunk 4', scripted('chunk 4', []).call, context)
  await settle()
  assert.equal(waiting.attempts, 1, 'still waiting out the Retry-After')
  assert.equal(connectivity.sleeps[0]!.ms, 30_000)
  connectivity.sleeps[0]!.end()
  assert.equal(await result, 'chunk 3')
})

test('stopping a call while it backs off rejects with the reason and leaves nothing waiting on the beacon', async () => {
  const connectivity = new HeldSleeps()
  const recovery = new RecoveryBeacon()
  const stop = new AbortController()
  const result = callWithRetry('chunk 3', scripted('chunk 3', [networkError]).call, {
    policy: DEFAULT_RETRY_POLICY,
    connectivity,
    recovery,
    signal: stop.signal,
  })
  await settle()
  stop.abort(new DOMException('stopped by the user', 'AbortError'))
  await assert.rejects(result, { name: 'AbortError', message: 'stopped by the user' })
  assert.equal(recovery.waiting, 0)
})
