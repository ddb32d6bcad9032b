// Concurrent uploads of one chunk index. What the server guarantees, whatever the interleaving:
// - never two bodies committed for one index, never a mix of two bodies: the index holds exactly
//   the tickets of the one body that committed;
// - identical bodies: one answers duplicate:false, every other 200 duplicate:true;
// - a different body that arrives once the index is committed: 409 CHUNK_CONFLICT, before any
//   validation; one that arrives while it is not yet committed is validated like any upload, so
//   an invalid one is 422 (or 400), and one that passed validation but lost the race to commit
//   is 409 CHUNK_CONFLICT from the re-check inside the write transaction.
// With deterministic Ed25519 signatures and canonical base32, a chunk has exactly one valid body,
// so two valid bodies can only be staged with a verifier double that accepts anything.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { ChunkBody } from '@boxoffice/tickets'
import { chunkDigest } from '../src/ingest/chunk-digest.ts'
import type { ChunkVerifier } from '../src/verification/chunk-verifier.ts'
import { createInProcessChunkVerifier } from '../src/verification/in-process-chunk-verifier.ts'
import {
  buildTestApp,
  createBatch,
  databaseSnapshot,
  errorOf,
  getStatus,
  makeTestBatch,
  putChunk,
  tamperToken,
  type TestBatch,
} from './helper.ts'
import type { StorageConfig } from '../src/db/storage.ts'

/**
 * A verifier double that holds the calls `shouldHold` picks until `release()`, then answers as
 * `inner` does. `held(n)` resolves once n calls are held.
 */
function holdingVerifier(inner: ChunkVerifier, shouldHold: (tickets: readonly { token: string }[]) => boolean) {
  const releases: (() => void)[] = []
  const waiters: { count: number; resolve: () => void }[] = []
  let calls = 0
  const verifier: ChunkVerifier = {
    library: inner.library,
    async verifyChunk(batch, tickets) {
      calls++
      if (shouldHold(tickets)) {
        await new Promise<void>((release) => {
          releases.push(release)
          for (const waiter of waiters.filter((w) => releases.length >= w.count)) waiter.resolve()
        })
      }
      return inner.verifyChunk(batch, tickets)
    },
    close: () => inner.close(),
  }
  return {
    verifier,
    calls: () => calls,
    held: (count: number) => new Promise<void>((resolve) => (releases.length >= count ? resolve() : waiters.push({ count, resolve }))),
    release: () => releases.splice(0).forEach((release) => release()),
  }
}

const acceptEverything: ChunkVerifier = { library: 'openssl', verifyChunk: async () => [], close: async () => {} }

/** `count` bodies for chunk `index`, each with a different ticket's token altered: different digests, right serials. */
async function differentBodies(batch: TestBatch, index: number, count: number): Promise<ChunkBody[]> {
  const valid = await batch.chunk(index)
  return Array.from({ length: count }, (_, altered) => ({
    tickets: valid.tickets.map((ticket, position) => (position === altered ? { ...ticket, token: tamperToken(ticket.token) } : ticket)),
  }))
}

const digestOf = (body: ChunkBody) => chunkDigest(body.tickets.map((ticket) => ticket.token))

/** The index holds exactly this body's tickets, and the counters count it once. */
async function assertHoldsExactly(database: StorageConfig, batchId: string, index: number, body: ChunkBody) {
  const stored = await databaseSnapshot(database)
  assert.deepEqual(
    stored.chunks.filter((chunk: any) => chunk.batch_id === batchId),
    [{ batch_id: batchId, chunk_index: index, digest: digestOf(body) }],
  )
  assert.deepEqual(
    stored.tickets.filter((ticket: any) => ticket.batch_id === batchId),
    body.tickets.map(({ serial, token }) => ({ batch_id: batchId, serial, token })),
  )
  const batch = stored.batches.find((row) => row.id === batchId)!
  assert.deepEqual([batch.chunks_received, batch.tickets_received], [1, body.tickets.length])
}

describe('concurrent PUTs of one chunk index', () => {
  test('20 identical ones through the worker pool: stored once, one duplicate:false, nineteen duplicate:true', async (t) => {
    const { api, database } = await buildTestApp(t, { verifyThreads: 2 })
    const batch = await makeTestBatch({ quantity: 120 })
    await createBatch(api, batch.body)
    const body = await batch.chunk(1)
    const responses = await Promise.all(Array.from({ length: 20 }, () => putChunk(api, batch.id, 1, body)))
    assert.deepEqual(
      responses.map((response) => response.statusCode),
      Array(20).fill(200),
    )
    assert.deepEqual(responses.map((response) => response.json().duplicate).sort(), [false, ...Array(19).fill(true)])
    await assertHoldsExactly(database, batch.id, 1, body)
  })

  test('20 different bodies that all passed verification before any committed: exactly one committed, nineteen 409 CHUNK_CONFLICT', async (t) => {
    // Two valid bodies for one chunk cannot be signed, so a verifier that accepts anything stands
    // in for "both valid"; all 20 are held in verification until every one has arrived, so only
    // the re-check inside the write transaction can keep the losers out.
    const gate = holdingVerifier(acceptEverything, () => true)
    const { api, database } = await buildTestApp(t, { chunkVerifier: gate.verifier })
    const batch = await makeTestBatch({ quantity: 120 })
    await createBatch(api, batch.body)
    const bodies = await differentBodies(batch, 0, 20)
    const responses = Promise.all(bodies.map((body) => putChunk(api, batch.id, 0, body)))
    await gate.held(20)
    gate.release()
    const answered = await responses

    const winners = answered.flatMap((response, i) => (response.statusCode === 200 ? [i] : []))
    assert.equal(winners.length, 1, 'exactly one committed')
    const winner = bodies[winners[0]!]!
    assert.equal(answered[winners[0]!]!.json().duplicate, false)
    for (const [i, response] of answered.entries()) {
      if (i === winners[0]) continue
      assert.equal(response.statusCode, 409)
      assert.equal(errorOf(response).code, 'CHUNK_CONFLICT')
      assert.deepEqual(errorOf(response).details, { storedDigest: digestOf(winner), digest: digestOf(bodies[i]!) })
    }
    await assertHoldsExactly(database, batch.id, 0, winner)
  })

  test('the valid body held in verification: different bodies meanwhile are validated (422), and after it committed are 409 without being verified', async (t) => {
    const batch = await makeTestBatch({ quantity: 120 })
    const valid = await batch.chunk(0)
    const gate = holdingVerifier(
      createInProcessChunkVerifier(),
      (tickets) => chunkDigest(tickets.map((ticket) => ticket.token)) === digestOf(valid),
    )
    const { api, database } = await buildTestApp(t, { chunkVerifier: gate.verifier })
    await createBatch(api, batch.body)
    const others = await differentBodies(batch, 0, 19)

    const committing = putChunk(api, batch.id, 0, valid)
    await gate.held(1)
    const meanwhile = await Promise.all(others.map((body) => putChunk(api, batch.id, 0, body)))
    assert.deepEqual(
      meanwhile.map((response) => [response.statusCode, errorOf(response).code]),
      Array(19).fill([422, 'TOKEN_INVALID']),
    )
    gate.release()
    const committed = await committing
    assert.equal(committed.statusCode, 200)
    assert.equal(committed.json().duplicate, false)

    const verifiedSoFar = gate.calls()
    const afterwards = await Promise.all(others.map((body) => putChunk(api, batch.id, 0, body)))
    assert.deepEqual(
      afterwards.map((response) => [response.statusCode, errorOf(response).code]),
      Array(19).fill([409, 'CHUNK_CONFLICT']),
    )
    assert.equal(gate.calls(), verifiedSoFar, 'a conflict is answered before any verification')
    await assertHoldsExactly(database, batch.id, 0, valid)
  })

  for (const verifyThreads of [0, 2]) {
    test(`one valid body and 19 different ones sent at once (${verifyThreads ? 'worker pool' : 'in process'}): only the valid one committed, the others 409 or 422`, async (t) => {
      const { api, database } = await buildTestApp(t, { verifyThreads })
      const batch = await makeTestBatch({ quantity: 120 })
      await createBatch(api, batch.body)
      const valid = await batch.chunk(2)
      const bodies = [...(await differentBodies(batch, 2, 10)), valid, ...(await differentBodies(batch, 2, 19)).slice(10)]
      const responses = await Promise.all(bodies.map((body) => putChunk(api, batch.id, 2, body)))
      for (const [i, response] of responses.entries()) {
        if (bodies[i] === valid) assert.equal(response.statusCode, 200)
        else assert.ok([409, 422].includes(response.statusCode), `${response.statusCode} ${response.body}`)
      }
      await assertHoldsExactly(database, batch.id, 2, valid)
      assert.equal((await getStatus(api, batch.id)).ticketsReceived, 20)
    })
  }
})
