import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { CheckinSyncBody, CheckinSyncResult } from '@boxoffice/tickets'
import type { LocalCheckin, PendingCheckinStore, SyncServer } from '../ports.ts'
import { splitIntoPieces, syncPendingCheckins, syncPieces } from './sync-pending.ts'
import { localCheckin } from './testing/signed-batch.ts'

const BATCH = '3f1c2a4e-8b7d-4c6a-9e21-5d0f7a9b1c23'

/** IndexedDB stand-in: records keyed by serial. */
class FakeStore implements PendingCheckinStore {
  records = new Map<number, LocalCheckin>()
  constructor(count: number) {
    for (let serial = 0; serial < count; serial++) {
      const checkedInAt = new Date(Date.UTC(2026, 10, 29, 19, 0, 0, serial)).toISOString()
      this.records.set(
        serial,
        localCheckin({
          batchId: BATCH,
          serial,
          token: `T${serial}`,
          checkedInAt,
          idempotencyKey: `key-${String(serial).padStart(12, '0')}`,
        }),
      )
    }
  }
  async pendingCheckins() {
    return [...this.records.values()].filter((record) => record.sync === 'pending')
  }
  async saveSyncOutcomes(records: readonly LocalCheckin[]) {
    for (const record of records) this.records.set(record.serial, record)
  }
  pendingSerials() {
    return [...this.records.values()].filter((record) => record.sync === 'pending').map((record) => record.serial)
  }
}

/** Answers each request with the next scripted step: 'accept' every item, or throw. */
function scriptedServer(steps: ('accept' | 'network-error' | 'answer-lost' | 'short-answer')[]) {
  const bodies: CheckinSyncBody[] = []
  const server: SyncServer = {
    async sync(body) {
      bodies.push(body)
      const step = steps.shift() ?? 'accept'
      if (step === 'network-error') throw new TypeError('Failed to fetch')
      const results = body.checkins.map((item): CheckinSyncResult['results'][number] => ({
        result: 'accepted',
        checkedInAt: item.checkedInAt,
        ticket: { batchId: BATCH, serial: Number(item.token.slice(1)), ticketType: 'General' },
      }))
      // The server committed, but the answer never arrived.
      if (step === 'answer-lost') throw new TypeError('network connection was lost')
      return { serverTime: '2026-11-29T21:00:00.000Z', results: step === 'short-answer' ? results.slice(1) : results }
    },
  }
  return { server, bodies }
}

test('2,500 pending check-ins go in 3 requests of at most 1,000 with the device id, and none stays pending', async () => {
  const store = new FakeStore(2_500)
  const { server, bodies } = scriptedServer([])
  const run = await syncPendingCheckins({ store, server, deviceId: 'gate-3' })
  assert.equal(run.failure, undefined)
  assert.deepEqual(
    bodies.map((body) => body.checkins.length),
    [1_000, 1_000, 500],
  )
  assert.ok(bodies.every((body) => body.deviceId === 'gate-3'))
  assert.equal(run.sent, 2_500)
  assert.equal(run.summary.accepted, 2_500)
  assert.deepEqual(store.pendingSerials(), [])
})

test('a failed request keeps its piece and every later one pending; the next run sends exactly those', async () => {
  const store = new FakeStore(2_500)
  const { server, bodies } = scriptedServer(['accept', 'network-error'])
  const first = await syncPendingCheckins({ store, server, deviceId: 'gate-3' })
  assert.ok(first.failure instanceof TypeError)
  assert.equal(first.sent, 1_000)
  assert.equal(first.summary.accepted, 1_000)
  assert.equal(store.pendingSerials().length, 1_500)
  assert.equal(store.pendingSerials()[0], 1_000)

  const second = await syncPendingCheckins({ store, server, deviceId: 'gate-3' })
  assert.equal(second.failure, undefined)
  assert.deepEqual(
    bodies.slice(2).map((body) => body.checkins[0]!.token),
    ['T1000', 'T2000'],
  )
  assert.deepEqual(store.pendingSerials(), [])
})

test('each check-in is sent with the idempotency key it was scanned with; one stored before keys existed goes without', async () => {
  const store = new FakeStore(2)
  const { idempotencyKey: _key, ...keyless } = store.records.get(1)!
  store.records.set(1, keyless)
  const { server, bodies } = scriptedServer([])
  await syncPendingCheckins({ store, server, deviceId: 'gate-3' })
  assert.deepEqual(bodies[0]!.checkins, [
    { token: 'T0', checkedInAt: '2026-11-29T19:00:00.000Z', idempotencyKey: 'key-000000000000' },
    { token: 'T1', checkedInAt: '2026-11-29T19:00:00.001Z' },
  ])
  assert.equal(store.records.get(0)?.idempotencyKey, 'key-000000000000', 'kept once synced')
})

test('a lost answer marks nothing; the re-send carries the same tokens, times and keys', async () => {
  const store = new FakeStore(3)
  const { server, bodies } = scriptedServer(['answer-lost'])
  const first = await syncPendingCheckins({ store, server, deviceId: 'gate-3' })
  assert.ok(first.failure)
  assert.equal(store.pendingSerials().length, 3)
  await syncPendingCheckins({ store, server, deviceId: 'gate-3' })
  assert.deepEqual(bodies[1], bodies[0])
  assert.deepEqual(store.pendingSerials(), [])
})

test('an answer with fewer results than check-ins sent marks none of them', async () => {
  const store = new FakeStore(3)
  const { server } = scriptedServer(['short-answer'])
  const run = await syncPendingCheckins({ store, server, deviceId: 'gate-3' })
  assert.match(String(run.failure), /answered 2 check-ins of 3/)
  assert.equal(run.sent, 0)
  assert.equal(store.pendingSerials().length, 3)
})

test('a store that fails to save the outcomes leaves the check-ins pending', async () => {
  const store = new FakeStore(2)
  store.saveSyncOutcomes = async () => {
    throw new Error('QuotaExceededError')
  }
  const { server } = scriptedServer([])
  const run = await syncPendingCheckins({ store, server, deviceId: 'gate-3' })
  assert.match(String(run.failure), /QuotaExceeded/)
  assert.equal(run.sent, 0)
  assert.equal(run.summary.accepted, 0)
  assert.equal(store.pendingSerials().length, 2)
})

test('nothing pending sends nothing', async () => {
  const store = new FakeStore(0)
  const { server, bodies } = scriptedServer([])
  const run = await syncPendingCheckins({ store, server, deviceId: 'gate-3' })
  assert.deepEqual(run, { sent: 0, summary: { accepted: 0, conflicts: [], invalid: [] } })
  assert.equal(bodies.length, 0)
})

test('2,001 pending check-ins go as 1,000 + 1,000 + 1, none lost or repeated', () => {
  const pending = Array.from({ length: 2_001 }, (_, serial) =>
    localCheckin({ batchId: 'b', serial, checkedInAt: new Date(Date.UTC(2026, 10, 29, 19, 0, 0, serial)).toISOString() }),
  )
  const pieces = syncPieces(pending)
  assert.deepEqual(
    pieces.map((piece) => piece.length),
    [1_000, 1_000, 1],
  )
  assert.deepEqual(
    pieces.flat().map((checkin) => checkin.serial),
    pending.map((checkin) => checkin.serial),
  )
})

test('pieces are in order of scanning, whatever order the store returned', () => {
  const pending = [
    localCheckin({ batchId: 'b', serial: 1, checkedInAt: '2026-11-29T19:00:02.000Z' }),
    localCheckin({ batchId: 'a', serial: 9, checkedInAt: '2026-11-29T19:00:00.000Z' }),
    localCheckin({ batchId: 'b', serial: 0, checkedInAt: '2026-11-29T19:00:01.000Z' }),
  ]
  assert.deepEqual(
    syncPieces(pending, 2).map((piece) => piece.map((c) => c.serial)),
    [[9, 0], [1]],
  )
})

test('nothing pending is no request; a piece size below 1 is refused', () => {
  assert.deepEqual(syncPieces([]), [])
  assert.throws(() => splitIntoPieces([1], 0), RangeError)
})
