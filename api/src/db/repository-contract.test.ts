// The repository contract, held against both backends: the same tests, on a fresh SQLite file and
// on a fresh PostgreSQL database. What only several connections at once can show is in
// repository-concurrency.test.ts.
import assert from 'node:assert/strict'
import { describe, test, type TestContext } from 'node:test'
import { TEST_BACKENDS, testStorage } from '../../test/test-database.ts'
import type { AccountRepository, SessionRecord } from './account-repository.ts'
import { createdBatch, DEFAULT_TEST_TYPE } from '../../test/test-events.ts'
import type { NewBatch } from './ticket-repository.ts'

function newBatch(overrides: Partial<NewBatch> = {}): NewBatch {
  return {
    id: crypto.randomUUID(),
    ticketTypeId: DEFAULT_TEST_TYPE.ticketTypeId,
    quantity: 100,
    publicKey: 'k'.repeat(43),
    createdAt: new Date().toISOString(),
    createdBy: null,
    ...overrides,
  }
}

function range(first: number, last: number): number[] {
  return Array.from({ length: last - first + 1 }, (_, i) => first + i)
}

function chunk(batchId: string, index: number, digest = `digest-${index}`, size = 50) {
  const tickets = Array.from({ length: size }, (_, offset) => ({ serial: index * 50 + offset, token: `T${index}X${offset}` }))
  return { batchId, index, digest, tickets, committedAt: new Date().toISOString() }
}

function session(tokenHash: string, accountId: number, times: Partial<SessionRecord> = {}): SessionRecord {
  const now = new Date().toISOString()
  return { tokenHash, accountId, createdAt: now, expiresAt: '2999-01-01T00:00:00.000Z', lastSeen: now, ...times }
}

async function accountWithSessions(accounts: AccountRepository, username: string, tokenHashes: string[]) {
  const { account } = await accounts.createAccount({
    username,
    passwordHash: `hash of ${username}`,
    role: 'staff',
    createdAt: new Date().toISOString(),
  })
  for (const tokenHash of tokenHashes)
    assert.equal(await accounts.createSession(session(tokenHash, account.id), account.passwordHash), true)
  return account
}

for (const backend of TEST_BACKENDS) {
  async function openRepository(t: TestContext) {
    return (await testStorage(t, backend)).tickets
  }

  describe(`check-in repository on ${backend}`, () => {
    test("recordCheckins keeps each check-in's idempotency key and account, and answers a later one with the first, key included", async (t) => {
      const storage = await testStorage(t, backend)
      const batch = await createdBatch(storage.tickets, newBatch({ quantity: 50 }))
      await storage.tickets.commitChunk(chunk(batch.id, 0))
      const base = {
        batchId: batch.id,
        checkedInAt: '2026-11-29T19:00:00.000Z',
        deviceId: 'gate-1',
        recordedAt: new Date().toISOString(),
        recordedBy: null,
      }
      const first = { ...base, serial: 1, idempotencyKey: 'key-of-the-first-scan' }
      const results = await storage.checkins.recordCheckins([
        first,
        { ...base, serial: 2, idempotencyKey: null },
        { ...base, serial: 1, idempotencyKey: 'another' },
      ])
      assert.deepEqual(
        results.map((result) => result.outcome),
        ['recorded', 'recorded', 'already'],
      )
      const already = results[2]!
      assert.equal(already.outcome === 'already' && already.first.idempotencyKey, 'key-of-the-first-scan')
      const [again] = await storage.checkins.recordCheckins([{ ...base, serial: 2, idempotencyKey: 'late' }])
      assert.equal(again!.outcome === 'already' && again!.first.idempotencyKey, null)
    })
  })

  describe(`account repository on ${backend}`, () => {
    test('createSession stores a session only while the account has the password hash the sign-in checked and is enabled', async (t) => {
      const { accounts } = await testStorage(t, backend)
      const alice = await accountWithSessions(accounts, 'alice', [])
      assert.equal(await accounts.createSession(session('old-hash', alice.id), 'an older hash'), false)
      assert.equal(await accounts.findSession('old-hash'), undefined)
      assert.equal(await accounts.createSession(session('fine', alice.id), alice.passwordHash), true)
      assert.equal((await accounts.findSession('fine'))?.account.username, 'alice')
      await accounts.disableAccount('alice', new Date().toISOString())
      assert.equal(await accounts.createSession(session('disabled', alice.id), alice.passwordHash), false)
      assert.equal(await accounts.findSession('disabled'), undefined)
    })

    test('setPassword replaces the hash and ends every session of that account, and of no other', async (t) => {
      const { accounts } = await testStorage(t, backend)
      const alice = await accountWithSessions(accounts, 'alice', ['a1', 'a2'])
      await accountWithSessions(accounts, 'bob', ['b1'])
      const changed = await accounts.setPassword('alice', 'new hash')
      assert.equal(changed?.sessionsEnded, 2)
      assert.equal(changed?.account.passwordHash, 'new hash')
      assert.equal((await accounts.findAccount('alice'))?.passwordHash, 'new hash')
      assert.equal(await accounts.findSession('a1'), undefined)
      assert.equal((await accounts.findSession('b1'))?.account.username, 'bob')
      assert.equal(
        await accounts.createSession(session('a3', alice.id), alice.passwordHash),
        false,
        'a sign-in that checked the old password',
      )
      assert.equal(await accounts.createSession(session('a4', alice.id), 'new hash'), true)
      assert.equal(await accounts.setPassword('nobody', 'x'), undefined)
    })

    test('endSessions deletes every session of the account and nothing else; the account stays as it was', async (t) => {
      const { accounts } = await testStorage(t, backend)
      await accountWithSessions(accounts, 'alice', ['a1', 'a2', 'a3'])
      await accountWithSessions(accounts, 'bob', ['b1'])
      const ended = await accounts.endSessions('alice')
      assert.equal(ended?.sessionsEnded, 3)
      assert.equal(ended?.account.disabledAt, null)
      assert.equal(await accounts.findSession('a2'), undefined)
      assert.equal((await accounts.findSession('b1'))?.account.username, 'bob')
      assert.equal((await accounts.endSessions('alice'))?.sessionsEnded, 0)
      assert.equal(await accounts.endSessions('nobody'), undefined)
    })

    test('deleteExpiredSessions removes sessions expired by now or idle since the cutoff, and keeps the others', async (t) => {
      const { accounts } = await testStorage(t, backend)
      const { account } = await accounts.createAccount({
        username: 'alice',
        passwordHash: 'h',
        role: 'staff',
        createdAt: new Date().toISOString(),
      })
      const start = (tokenHash: string, times: Partial<SessionRecord>) => accounts.createSession(session(tokenHash, account.id, times), 'h')
      await start('expired', { expiresAt: '2026-01-01T10:00:00.000Z', lastSeen: '2026-01-01T09:59:00.000Z' })
      await start('idle', { expiresAt: '2026-01-02T10:00:00.000Z', lastSeen: '2026-01-01T09:00:00.000Z' })
      await start('live', { expiresAt: '2026-01-02T10:00:00.000Z', lastSeen: '2026-01-01T09:30:00.000Z' })
      assert.equal(await accounts.deleteExpiredSessions('2026-01-01T10:00:00.000Z', '2026-01-01T09:00:00.000Z'), 2)
      assert.equal(await accounts.findSession('expired'), undefined)
      assert.equal(await accounts.findSession('idle'), undefined)
      assert.equal((await accounts.findSession('live'))?.session.lastSeen, '2026-01-01T09:30:00.000Z')
    })
  })

  describe(`ticket repository on ${backend}`, () => {
    test('createBatch inserts once, copying the type, and then returns the stored batch unchanged, reserving nothing more', async (t) => {
      const storage = await testStorage(t, backend)
      const repository = storage.tickets
      const batch = newBatch()
      const first = await repository.createBatch(batch)
      assert.equal(first.outcome, 'created')
      assert.ok(first.outcome === 'created')
      assert.equal(first.batch.state, 'open')
      assert.deepEqual(
        [
          first.batch.eventId,
          first.batch.event,
          first.batch.ticketTypeId,
          first.batch.ticketType,
          first.batch.priceMinor,
          first.batch.currency,
        ],
        [DEFAULT_TEST_TYPE.eventId, DEFAULT_TEST_TYPE.eventName, DEFAULT_TEST_TYPE.ticketTypeId, DEFAULT_TEST_TYPE.name, 4500, 'EUR'],
      )
      const second = await repository.createBatch({ ...batch, quantity: 7 })
      assert.equal(second.outcome, 'existing')
      assert.ok(second.outcome === 'existing')
      assert.equal(second.batch.quantity, 100)
      const type = (await storage.events.getEvent(DEFAULT_TEST_TYPE.eventId))!.ticketTypes[0]!
      assert.equal(type.issued, 100)
    })

    test('commitChunk stores the chunk and its tickets and counts them in the same transaction', async (t) => {
      const repository = await openRepository(t)
      const batch = await createdBatch(repository, newBatch())
      const result = await repository.commitChunk(chunk(batch.id, 1))
      assert.equal(result.outcome, 'committed')
      assert.equal(result.outcome === 'committed' && result.batch.chunksReceived, 1)
      assert.equal(result.outcome === 'committed' && result.batch.ticketsReceived, 50)
      assert.equal(await repository.ticketToken(batch.id, 50), 'T1X0')
      assert.equal(await repository.chunkDigest(batch.id, 1), 'digest-1')
    })

    test('commitChunk of a committed index reports duplicate or conflict and changes nothing', async (t) => {
      const repository = await openRepository(t)
      const batch = await createdBatch(repository, newBatch())
      await repository.commitChunk(chunk(batch.id, 0))
      const duplicate = await repository.commitChunk(chunk(batch.id, 0))
      assert.equal(duplicate.outcome, 'duplicate')
      const conflict = await repository.commitChunk({ ...chunk(batch.id, 0, 'other'), tickets: [{ serial: 0, token: 'NEW' }] })
      assert.deepEqual(conflict.outcome === 'conflict' && conflict.storedDigest, 'digest-0')
      const stored = await repository.getBatch(batch.id)
      assert.equal(stored?.chunksReceived, 1)
      assert.equal(stored?.ticketsReceived, 50)
      assert.equal(await repository.ticketToken(batch.id, 0), 'T0X0')
    })

    test('a chunk whose tickets cannot all be stored leaves neither the chunk nor any ticket', async (t) => {
      const repository = await openRepository(t)
      const batch = await createdBatch(repository, newBatch())
      const broken = chunk(batch.id, 0)
      broken.tickets[10] = { serial: 3, token: 'DUPLICATE SERIAL' }
      await assert.rejects(repository.commitChunk(broken), /UNIQUE constraint failed|duplicate key value violates unique constraint/)
      assert.equal(await repository.chunkDigest(batch.id, 0), undefined)
      assert.equal(await repository.ticketToken(batch.id, 0), undefined)
      assert.equal((await repository.getBatch(batch.id))?.ticketsReceived, 0)
    })

    test('commitChunk refuses a batch that is no longer open', async (t) => {
      const repository = await openRepository(t)
      const batch = await createdBatch(repository, newBatch())
      await repository.finishBatch(batch.id, 'cancelled', new Date().toISOString())
      const result = await repository.commitChunk(chunk(batch.id, 0))
      assert.equal(result.outcome, 'batch-not-open')
      assert.equal(await repository.chunkDigest(batch.id, 0), undefined)
    })

    test('finishBatch completes only a batch holding every chunk, and replays report already', async (t) => {
      const repository = await openRepository(t)
      const batch = await createdBatch(repository, newBatch({ quantity: 60 }))
      const now = new Date().toISOString()
      assert.equal((await repository.finishBatch(batch.id, 'completed', now)).outcome, 'incomplete')
      await repository.commitChunk(chunk(batch.id, 0))
      await repository.commitChunk(chunk(batch.id, 1, 'd1', 10))
      const finished = await repository.finishBatch(batch.id, 'completed', now)
      assert.equal(finished.outcome, 'finished')
      assert.equal(finished.outcome === 'finished' && finished.batch.finishedAt, now)
      assert.equal((await repository.finishBatch(batch.id, 'completed', now)).outcome, 'already')
      assert.equal((await repository.finishBatch(batch.id, 'cancelled', now)).outcome, 'not-open')
      assert.equal((await repository.finishBatch(crypto.randomUUID(), 'cancelled', now)).outcome, 'batch-not-found')
    })

    test('listBatches returns newest first and filters by state', async (t) => {
      const repository = await openRepository(t)
      const sameInstant = new Date().toISOString()
      const ids: string[] = []
      for (let i = 0; i < 3; i++) ids.push((await createdBatch(repository, newBatch({ createdAt: sameInstant }))).id)
      await repository.finishBatch(ids[1]!, 'cancelled', sameInstant)
      assert.deepEqual(
        (await repository.listBatches({ limit: 10 })).map((b) => b.id),
        [...ids].reverse(),
      )
      assert.deepEqual(
        (await repository.listBatches({ limit: 2 })).map((b) => b.id),
        [ids[2], ids[1]],
      )
      assert.deepEqual(
        (await repository.listBatches({ state: 'cancelled', limit: 10 })).map((b) => b.id),
        [ids[1]],
      )
    })

    test('committedChunkRanges is exact across gaps, one range per run of chunks', async (t) => {
      const repository = await openRepository(t)
      const batch = await createdBatch(repository, newBatch({ quantity: 1_000_000 }))
      for (let index = 0; index < 2_000; index++) {
        if (index === 7 || (index >= 1_200 && index < 1_210)) continue
        await repository.commitChunk(chunk(batch.id, index, `d${index}`, 1))
      }
      assert.deepEqual(await repository.committedChunkRanges(batch.id), [
        [0, 6],
        [8, 1_199],
        [1_210, 1_999],
      ])
      assert.deepEqual(await repository.committedChunkRanges(crypto.randomUUID()), [])
    })

    test('streamTickets pages a range in serial order and stops at its end', async (t) => {
      const repository = await openRepository(t)
      const batch = await createdBatch(repository, newBatch({ quantity: 200 }))
      for (const index of [0, 1, 3]) await repository.commitChunk(chunk(batch.id, index))
      const pages: number[][] = []
      for await (const page of repository.streamTickets(batch.id, [40, 160], 25)) pages.push(page.map((ticket) => ticket.serial))
      assert.deepEqual(
        pages.map((page) => page.length),
        [25, 25, 21],
      )
      assert.deepEqual(pages.flat(), [...range(40, 99), ...range(150, 160)])
      // Abandoned after the first page: the rest is never read, and nothing is left held.
      for await (const page of repository.streamTickets(batch.id, [0, 199], 10)) {
        assert.equal(page.length, 10)
        break
      }
      assert.equal(await repository.ticketToken(batch.id, 150), 'T3X0')
    })
  })
}
