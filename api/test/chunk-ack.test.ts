// A chunk is acknowledged (200) only after its transaction has committed: a client that deletes
// its staged copy on the ack can never lose a ticket the server did not store.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { ChunkToCommit, TicketRepository } from '../src/db/ticket-repository.ts'
import { StorageUnavailableError } from '../src/db/storage-unavailable.ts'
import { buildTestApp, createBatch, databaseSnapshot, errorOf, makeTestBatch, putChunk } from './helper.ts'

/** Replaces the app's commitChunk with a double that records when it starts and ends, and may fail. */
function instrumentCommit(repository: TicketRepository, events: string[]) {
  const realCommit = repository.commitChunk.bind(repository)
  let release!: () => void
  let started!: () => void
  let failWith: Error | undefined
  let gate = Promise.resolve()
  repository.commitChunk = async (chunk: ChunkToCommit) => {
    events.push('commit started')
    started()
    await gate
    if (failWith) {
      events.push('commit failed')
      throw failWith
    }
    const result = await realCommit(chunk)
    events.push('commit ended')
    return result
  }
  return {
    /** Holds the next commit until `release`; resolves once it has started. */
    hold(): Promise<void> {
      gate = new Promise((resolve) => (release = resolve))
      return new Promise((resolve) => (started = resolve))
    },
    release: () => release(),
    failNextWith(error: Error | undefined) {
      failWith = error
    },
  }
}

/** Lets every pending callback and I/O step run a few times over: time for an answer that must not come. */
async function settle() {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve))
}

test('the 200 comes only after the commit: none while the commit is pending, none when it fails', async (t) => {
  const { app, api, database } = await buildTestApp(t)
  const events: string[] = []
  const commit = instrumentCommit(app.repository, events)
  const batch = await makeTestBatch({ quantity: 120 })
  await createBatch(api, batch.body)
  const before = await databaseSnapshot(database)
  const body = await batch.chunk(0)

  // A commit that fails after being held: never a 200, and nothing stored.
  const failingStarted = commit.hold()
  const failing = putChunk(api, batch.id, 0, body).then((response) => {
    events.push(`answered ${response.statusCode}`)
    return response
  })
  await failingStarted
  await settle()
  assert.deepEqual(events, ['commit started'], 'no answer while the commit is pending')
  commit.failNextWith(
    new StorageUnavailableError('full', { operation: 'commitChunk', driverCode: 'SQLITE_FULL', cause: new Error('full') }),
  )
  commit.release()
  const refused = await failing
  assert.equal(refused.statusCode, 503)
  assert.equal(errorOf(refused).code, 'STORAGE_UNAVAILABLE')
  commit.failNextWith(new Error('an unexpected commit failure'))
  assert.equal((await putChunk(api, batch.id, 0, body)).statusCode, 500)
  assert.deepEqual(await databaseSnapshot(database), before)

  // The commit that succeeds: the answer follows it, and another connection already sees the chunk.
  commit.failNextWith(undefined)
  events.length = 0
  const succeedingStarted = commit.hold()
  const succeeding = putChunk(api, batch.id, 0, body).then((response) => {
    events.push(`answered ${response.statusCode}`)
    return response
  })
  await succeedingStarted
  await settle()
  assert.deepEqual(events, ['commit started'])
  commit.release()
  await succeeding
  assert.deepEqual(events, ['commit started', 'commit ended', 'answered 200'])
  assert.equal((await databaseSnapshot(database)).tickets.length, 50, 'committed, visible to a separate connection')
})
