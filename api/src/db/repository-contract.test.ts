// The repository contract, held against both backends: the same tests, on a fresh SQLite file and
// on a fresh PostgreSQL database. What only several connections at once can show is in
// repository-concurrency.test.ts.
import assert from 'node:assert/strict'
import { describe, test, type TestContext } from 'node:test'
import { TEST_BACKENDS, testStorage } from '../../test/test-database.ts'
import type { NewBatch } from './ticket-repository.ts'

function newBatch(overrides: Partial<NewBatch> = {}): NewBatch {
  return {
    id: crypto.randomUUID(),
    event: 'Gala',
    ticketType: 'Standing',
    priceMinor: 1000,
    currency: 'EUR',
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

for (const backend of TEST_BACKENDS) {
  async function openRepository(t: TestContext) {
    return (await testStorage(t, backend)).tickets
  }

  describe(`ticket repository on ${backend}`, () => {
    test('createBatch inserts once and then returns the stored batch unchanged', async (t) => {
      const repository = await openRepository(t)
      const batch = newBatch()
      const first = await repository.createBatch(batch)
      assert.equal(first.created, true)
      assert.equal(first.batch.state, 'open')
      const second = await repository.createBatch({ ...batch, event: 'Other' })
      assert.equal(second.created, false)
      assert.equal(second.batch.event, 'Gala')
    })

    test('commitChunk stores the chunk and its tickets and counts them in the same transaction', async (t) => {
      const repository = await openRepository(t)
      const { batch } = await repository.createBatch(newBatch())
      const result = await repository.commitChunk(chunk(batch.id, 1))
      assert.equal(result.outcome, 'committed')
      assert.equal(result.outcome === 'committed' && result.batch.chunksReceived, 1)
      assert.equal(result.outcome === 'committed' && result.batch.ticketsReceived, 50)
      assert.equal(await repository.ticketToken(batch.id, 50), 'T1X0')
      assert.equal(await repository.chunkDigest(batch.id, 1), 'digest-1')
    })

    test('commitChunk of a committed index reports duplicate or conflict and changes nothing', async (t) => {
      const repository = await openRepository(t)
      const { batch } = await repository.createBatch(newBatch())
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
      const { batch } = await repository.createBatch(newBatch())
      const broken = chunk(batch.id, 0)
      broken.tickets[10] = { serial: 3, token: 'DUPLICATE SERIAL' }
      await assert.rejects(repository.commitChunk(broken), /UNIQUE constraint failed|duplicate key value violates unique constraint/)
      assert.equal(await repository.chunkDigest(batch.id, 0), undefined)
      assert.equal(await repository.ticketToken(batch.id, 0), undefined)
      assert.equal((await repository.getBatch(batch.id))?.ticketsReceived, 0)
    })

    test('commitChunk refuses a batch that is no longer open', async (t) => {
      const repository = await openRepository(t)
      const { batch } = await repository.createBatch(newBatch())
      await repository.finishBatch(batch.id, 'cancelled', new Date().toISOString())
      const result = await repository.commitChunk(chunk(batch.id, 0))
      assert.equal(result.outcome, 'batch-not-open')
      assert.equal(await repository.chunkDigest(batch.id, 0), undefined)
    })

    test('finishBatch completes only a batch holding every chunk, and replays report already', async (t) => {
      const repository = await openRepository(t)
      const { batch } = await repository.createBatch(newBatch({ quantity: 60 }))
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
      for (let i = 0; i < 3; i++) ids.push((await repository.createBatch(newBatch({ createdAt: sameInstant }))).batch.id)
      await repository.finishBatch(ids[1]!, 'cancelled', sameInstant)
      assert.deepEqual((await repository.listBatches({ limit: 10 })).map((b) => b.id), [...ids].reverse())
      assert.deepEqual((await repository.listBatches({ limit: 2 })).map((b) => b.id), [ids[2], ids[1]])
      assert.deepEqual((await repository.listBatches({ state: 'cancelled', limit: 10 })).map((b) => b.id), [ids[1]])
    })

    test('committedChunkRanges is exact across gaps, one range per run of chunks', async (t) => {
      const repository = await openRepository(t)
      const { batch } = await repository.createBatch(newBatch({ quantity: 1_000_000 }))
      for (let index = 0; index < 2_000; index++) {
        if (index === 7 || (index >= 1_200 && index < 1_210)) continue
        await repository.commitChunk(chunk(batch.id, index, `d${index}`, 1))
      }
      assert.deepEqual(await repository.committedChunkRanges(batch.id), [[0, 6], [8, 1_199], [1_210, 1_999]])
      assert.deepEqual(await repository.committedChunkRanges(crypto.randomUUID()), [])
    })

    test('streamTickets pages a range in serial order and stops at its end', async (t) => {
      const repository = await openRepository(t)
      const { batch } = await repository.createBatch(newBatch({ quantity: 200 }))
      for (const index of [0, 1, 3]) await repository.commitChunk(chunk(batch.id, index))
      const pages: number[][] = []
      for await (const page of repository.streamTickets(batch.id, [40, 160], 25)) pages.push(page.map((ticket) => ticket.serial))
      assert.deepEqual(pages.map((page) => page.length), [25, 25, 21])
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
