// What the repository contract promises when several connections race on one database, as
// several server instances do: each test opens two storages (two connection pools, or two SQLite
// connections) on one database and sends them the same work at once.
import assert from 'node:assert/strict'
import { describe, test, type TestContext } from 'node:test'
import { chunkCount } from '@boxoffice/tickets'
import { TEST_BACKENDS, testDatabase, type TestBackend } from '../../test/test-database.ts'
import type { CheckinRecord } from './checkin-repository.ts'
import { openStorage } from './open-storage.ts'
import type { Storage } from './storage.ts'
import { addTestTicketType, createdBatch, DEFAULT_TEST_TYPE } from '../../test/test-events.ts'
import type { ChunkToCommit, NewBatch } from './ticket-repository.ts'

async function twoInstances(t: TestContext, backend: TestBackend): Promise<[Storage, Storage]> {
  const database = await testDatabase(t, backend)
  const first = await openStorage(database)
  const second = await openStorage(database)
  t.after(async () => {
    await first.close()
    await second.close()
  })
  await addTestTicketType(first.events)
  return [first, second]
}

function newBatch(quantity: number): NewBatch {
  return {
    id: crypto.randomUUID(),
    ticketTypeId: DEFAULT_TEST_TYPE.ticketTypeId,
    quantity,
    publicKey: 'k'.repeat(43),
    createdAt: new Date().toISOString(),
    createdBy: null,
  }
}

function chunk(batchId: string, index: number, variant = 'a'): ChunkToCommit {
  const tickets = Array.from({ length: 50 }, (_, offset) => ({ serial: index * 50 + offset, token: `${variant}${index}X${offset}` }))
  return { batchId, index, digest: `${variant}-${index}`, tickets, committedAt: new Date().toISOString() }
}

/** `count` calls, alternating between the two instances, all started before any is awaited. */
function race<T>(instances: [Storage, Storage], count: number, call: (storage: Storage, i: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => call(instances[i % 2]!, i)))
}

const outcomes = (results: { outcome: string }[]) =>
  results.reduce<Record<string, number>>((counts, { outcome }) => ({ ...counts, [outcome]: (counts[outcome] ?? 0) + 1 }), {})

for (const backend of TEST_BACKENDS) {
  describe(`repositories on ${backend}, two instances at once`, () => {
    test('20 concurrent commits of one chunk: exactly one is committed, the rest are duplicates, counted once', async (t) => {
      const instances = await twoInstances(t, backend)
      const batch = await createdBatch(instances[0].tickets, newBatch(120))
      const results = await race(instances, 20, (storage) => storage.tickets.commitChunk(chunk(batch.id, 1)))
      assert.deepEqual(outcomes(results), { committed: 1, duplicate: 19 })
      const stored = await instances[1].tickets.getBatch(batch.id)
      assert.deepEqual([stored?.chunksReceived, stored?.ticketsReceived], [1, 50])
      assert.equal(await instances[1].tickets.ticketToken(batch.id, 50), 'a1X0')
    })

    test('concurrent commits of one index with different contents: one wins whole, the others are conflicts naming its digest', async (t) => {
      const instances = await twoInstances(t, backend)
      const batch = await createdBatch(instances[0].tickets, newBatch(120))
      const results = await race(instances, 10, (storage, i) => storage.tickets.commitChunk(chunk(batch.id, 0, `v${i}`)))
      assert.deepEqual(outcomes(results), { committed: 1, conflict: 9 })
      const winner = results.findIndex((result) => result.outcome === 'committed')
      for (const result of results) if (result.outcome === 'conflict') assert.equal(result.storedDigest, `v${winner}-0`)
      const tokens = await Promise.all(Array.from({ length: 50 }, (_, serial) => instances[1].tickets.ticketToken(batch.id, serial)))
      assert.deepEqual(
        tokens,
        Array.from({ length: 50 }, (_, serial) => `v${winner}0X${serial}`),
        'never a mixed chunk',
      )
    })

    test('completion racing the last chunks: completed only with every chunk, and no chunk lands after it', async (t) => {
      const instances = await twoInstances(t, backend)
      const batch = await createdBatch(instances[0].tickets, newBatch(1_000))
      const chunks = chunkCount(1_000)
      for (let index = 0; index < chunks - 4; index++) await instances[0].tickets.commitChunk(chunk(batch.id, index))
      const now = new Date().toISOString()
      const [commits, finishes] = await Promise.all([
        Promise.all([16, 17, 18, 19].map((index) => instances[index % 2]!.tickets.commitChunk(chunk(batch.id, index)))),
        race(instances, 8, (storage) => storage.tickets.finishBatch(batch.id, 'completed', now)),
      ])
      assert.deepEqual(outcomes(commits), { committed: 4 })
      const finished = finishes.filter((result) => result.outcome === 'finished')
      assert.ok(finished.length <= 1, JSON.stringify(outcomes(finishes)))
      for (const result of finishes) {
        if (result.outcome === 'finished' || result.outcome === 'already') assert.equal(result.batch.chunksReceived, chunks)
        else assert.equal(result.outcome, 'incomplete')
      }
      const stored = await instances[1].tickets.getBatch(batch.id)
      assert.deepEqual([stored?.chunksReceived, stored?.ticketsReceived], [chunks, 1_000])
      assert.equal((await instances[1].tickets.finishBatch(batch.id, 'completed', now)).outcome, finished.length ? 'already' : 'finished')
    })

    test('cancel racing uploads: every chunk is either committed and counted, or refused as not open; none is lost or extra', async (t) => {
      const instances = await twoInstances(t, backend)
      const batch = await createdBatch(instances[0].tickets, newBatch(2_000))
      const commits = Promise.all(
        Array.from({ length: 40 }, (_, index) => instances[index % 2]!.tickets.commitChunk(chunk(batch.id, index))),
      )
      const cancel = (async () => {
        await new Promise((resolve) => setImmediate(resolve))
        return instances[1].tickets.finishBatch(batch.id, 'cancelled', new Date().toISOString())
      })()
      const [results, cancelled] = await Promise.all([commits, cancel])
      assert.equal(cancelled.outcome, 'finished')
      const counts = outcomes(results)
      assert.equal((counts.committed ?? 0) + (counts['batch-not-open'] ?? 0), 40, JSON.stringify(counts))
      const committed = results.flatMap((result, index) => (result.outcome === 'committed' ? [index] : []))
      const ranges = await instances[0].tickets.committedChunkRanges(batch.id)
      const stored = ranges.flatMap(([first, last]) => Array.from({ length: last - first + 1 }, (_, i) => first + i))
      assert.deepEqual(stored, committed, 'exactly the chunks answered committed are stored')
      const after = await instances[0].tickets.getBatch(batch.id)
      assert.deepEqual(
        [after?.state, after?.chunksReceived, after?.ticketsReceived],
        ['cancelled', committed.length, committed.length * 50],
      )
      // The cancel answered with the count at that moment, and nothing was added after it.
      assert.equal(cancelled.outcome === 'finished' && cancelled.batch.chunksReceived, committed.length)
    })

    test('check-ins of one ticket through two instances at once: exactly one is recorded, every other sees that one', async (t) => {
      const instances = await twoInstances(t, backend)
      const batch = await createdBatch(instances[0].tickets, newBatch(50))
      await instances[0].tickets.commitChunk(chunk(batch.id, 0))
      const checkin = (i: number): CheckinRecord => ({
        batchId: batch.id,
        serial: 7,
        checkedInAt: new Date(Date.UTC(2026, 11, 2, 19, 0, i)).toISOString(),
        deviceId: `gate-${i}`,
        recordedAt: new Date().toISOString(),
        recordedBy: null,
        idempotencyKey: `key-${i}`,
      })
      const results = (await race(instances, 20, (storage, i) => storage.checkins.recordCheckins([checkin(i)]))).flat()
      assert.deepEqual(outcomes(results), { recorded: 1, already: 19 })
      const winner = results.findIndex((result) => result.outcome === 'recorded')
      for (const result of results) if (result.outcome === 'already') assert.equal(result.first.deviceId, `gate-${winner}`)
    })

    test('a sync listing a ticket twice records it at its first place; a revoked ticket is refused, not stored', async (t) => {
      const [storage] = await twoInstances(t, backend)
      const batch = await createdBatch(storage.tickets, newBatch(50))
      await storage.tickets.commitChunk(chunk(batch.id, 0))
      await storage.checkins.revoke({
        batchId: batch.id,
        serial: 3,
        revokedAt: new Date().toISOString(),
        reason: 'refunded',
        revokedBy: null,
      })
      const at = (second: number) => new Date(Date.UTC(2026, 11, 2, 19, 0, second)).toISOString()
      const record = (serial: number, second: number): CheckinRecord => ({
        batchId: batch.id,
        serial,
        checkedInAt: at(second),
        deviceId: 'gate',
        recordedAt: at(59),
        recordedBy: null,
        idempotencyKey: null,
      })
      const results = await storage.checkins.recordCheckins([record(1, 1), record(3, 2), record(1, 3), record(2, 4)])
      assert.deepEqual(
        results.map((result) => result.outcome),
        ['recorded', 'revoked', 'already', 'recorded'],
      )
      assert.equal(results[2]!.outcome === 'already' && results[2]!.first.checkedInAt, at(1))
      assert.equal(results[1]!.outcome === 'revoked' && results[1]!.revocation.reason, 'refunded')
    })

    test('a check-in after a revocation resolved on another instance is refused', async (t) => {
      const instances = await twoInstances(t, backend)
      const batch = await createdBatch(instances[0].tickets, newBatch(50))
      await instances[0].tickets.commitChunk(chunk(batch.id, 0))
      const revoked = await instances[0].checkins.revoke({
        batchId: batch.id,
        serial: null,
        revokedAt: new Date().toISOString(),
        reason: null,
        revokedBy: null,
      })
      assert.equal(revoked.created, true)
      const again = await race(instances, 6, (storage) =>
        storage.checkins.revoke({ batchId: batch.id, serial: null, revokedAt: new Date().toISOString(), reason: null, revokedBy: null }),
      )
      assert.deepEqual(
        again.map((result) => result.created),
        [false, false, false, false, false, false],
      )
      const [result] = await instances[1].checkins.recordCheckins([
        {
          batchId: batch.id,
          serial: 9,
          checkedInAt: new Date().toISOString(),
          deviceId: null,
          recordedAt: new Date().toISOString(),
          recordedBy: null,
          idempotencyKey: null,
        },
      ])
      assert.equal(result!.outcome, 'revoked')
    })

    test('40 concurrent sign-in attempts on one name, limit 5: exactly 5 are counted, and a release frees one', async (t) => {
      const instances = await twoInstances(t, backend)
      const now = new Date()
      const limits = [{ key: 'account:alice', max: 5, windowMs: 300_000 }]
      const results = await race(instances, 40, (storage) => storage.loginAttempts.reserve(limits, now))
      const allowed = results.filter((result) => result.allowed)
      assert.equal(allowed.length, 5)
      for (const result of results) if (!result.allowed) assert.equal(result.retryAfterMs, 300_000)
      await instances[1].loginAttempts.release(allowed[0]!.reservation)
      assert.equal((await instances[0].loginAttempts.reserve(limits, now)).allowed, true)
      assert.equal((await instances[0].loginAttempts.reserve(limits, now)).allowed, false)
      // Out of the window, the attempts no longer count.
      assert.equal((await instances[0].loginAttempts.reserve(limits, new Date(now.getTime() + 300_001))).allowed, true)
    })

    test('an attempt is counted under every limit or none: a reached limit on the address counts nothing for the name', async (t) => {
      const [storage] = await twoInstances(t, backend)
      const now = new Date()
      const ip = { key: 'ip:10.0.0.1', max: 2, windowMs: 60_000 }
      assert.equal((await storage.loginAttempts.reserve([ip], now)).allowed, true)
      assert.equal((await storage.loginAttempts.reserve([ip], now)).allowed, true)
      const refused = await storage.loginAttempts.reserve([ip, { key: 'account:bob', max: 1, windowMs: 60_000 }], now)
      assert.deepEqual(refused, { allowed: false, key: 'ip:10.0.0.1', retryAfterMs: 60_000 })
      assert.equal((await storage.loginAttempts.reserve([{ key: 'account:bob', max: 1, windowMs: 60_000 }], now)).allowed, true)
    })

    test('disabling an account on one instance ends its sessions for the other at once', async (t) => {
      const instances = await twoInstances(t, backend)
      const { account } = await instances[0].accounts.createAccount({
        username: 'alice',
        passwordHash: 'h',
        role: 'staff',
        createdAt: new Date().toISOString(),
      })
      const now = new Date().toISOString()
      await instances[0].accounts.createSession(
        { tokenHash: 'session-1', accountId: account.id, createdAt: now, expiresAt: '2999-01-01T00:00:00.000Z', lastSeen: now },
        'h',
      )
      assert.equal((await instances[1].accounts.findSession('session-1'))?.account.username, 'alice')
      const disabled = await instances[0].accounts.disableAccount('alice', now)
      assert.equal(disabled?.sessionsEnded, 1)
      assert.equal(await instances[1].accounts.findSession('session-1'), undefined)
      assert.equal((await instances[1].accounts.findAccount('alice'))?.disabledAt, now)
    })

    test('sign-ins racing a password change on another instance: no session made with the old password survives it', async (t) => {
      const instances = await twoInstances(t, backend)
      const { account } = await instances[0].accounts.createAccount({
        username: 'alice',
        passwordHash: 'hash-0',
        role: 'staff',
        createdAt: new Date().toISOString(),
      })
      const now = new Date().toISOString()
      for (let round = 1; round <= 15; round++) {
        const checked = `hash-${round - 1}`
        // Sign-ins that checked the password against the hash before this round's change.
        const signIns = Array.from({ length: 4 }, (_, i) =>
          instances[i % 2]!.accounts.createSession(
            { tokenHash: `s${round}-${i}`, accountId: account.id, createdAt: now, expiresAt: '2999-01-01T00:00:00.000Z', lastSeen: now },
            checked,
          ),
        )
        const [changed] = await Promise.all([instances[1].accounts.setPassword('alice', `hash-${round}`), ...signIns])
        assert.ok(changed)
        for (let i = 0; i < 4; i++)
          assert.equal(await instances[0].accounts.findSession(`s${round}-${i}`), undefined, `round ${round}, sign-in ${i}`)
      }
    })

    test('five instances starting on a new database at once migrate it once', async (t) => {
      const database = await testDatabase(t, backend)
      const storages = await Promise.all(Array.from({ length: 5 }, () => openStorage(database)))
      await addTestTicketType(storages[0]!.events)
      t.after(() => Promise.all(storages.map((storage) => storage.close())))
      const batch = await createdBatch(storages[3]!.tickets, newBatch(50))
      assert.equal((await storages[1]!.tickets.getBatch(batch.id))?.id, batch.id)
    })
  })
}
