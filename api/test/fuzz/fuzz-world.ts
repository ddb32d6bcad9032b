// The database the route properties run against: batches in every state the routes treat
// differently, owned by the signed-in account or another one, with real tokens to mutate.
import type { TestContext } from 'node:test'
import { openInspection } from '../../src/db/database-inspection.ts'
import type { ChunkBody } from '@boxoffice/tickets'
import { addTestAccount, buildTestApp, createWithChunks, makeTestBatch, signIn, type TestBatch } from '../helper.ts'

export interface FuzzBatch {
  batch: TestBatch
  /** Committed chunk indexes. */
  committed: number[]
  /** The correct body of every chunk of the batch (committed or not). */
  chunks: ChunkBody[]
}

export interface FuzzWorld {
  /** 120 tickets (chunks 0–2), chunk 0 committed, open. */
  open: FuzzBatch
  /** 50 tickets, complete. */
  completed: FuzzBatch
  /** 100 tickets (chunks 0–1), chunk 0 committed, cancelled. */
  cancelled: FuzzBatch
  /** Another staff account's open batch of 50 tickets, no chunk yet. */
  foreign: FuzzBatch
  /** Every token of every chunk above. */
  tokens: string[]
}

async function fuzzBatch(batch: TestBatch, committed: number[], chunkCount: number): Promise<FuzzBatch> {
  const chunks = await Promise.all(Array.from({ length: chunkCount }, (_, index) => batch.chunk(index)))
  return { batch, committed, chunks }
}

export async function buildFuzzWorld(t: TestContext) {
  const { app, api, token, database } = await buildTestApp(t)
  const [open, completed, cancelled, foreign] = await Promise.all([
    makeTestBatch({ quantity: 120 }),
    makeTestBatch({ quantity: 50 }),
    makeTestBatch({ quantity: 100, ticketType: 'VIP' }),
    makeTestBatch({ quantity: 50 }),
  ])
  await createWithChunks(api, open, [0])
  await createWithChunks(api, completed, [0])
  await api.inject({ method: 'POST', url: `/api/batches/${completed.id}/complete` })
  await createWithChunks(api, cancelled, [0])
  await api.inject({ method: 'POST', url: `/api/batches/${cancelled.id}/cancel` })
  await addTestAccount(app, 'other')
  await createWithChunks((await signIn(app, 'other')).api, foreign, [])

  // A session is touched (last_seen written) at most once a minute. Seen in the future, it never
  // is during the run, so that any write at all during the run is a finding.
  const db = await openInspection(database)
  await db.setSessionTimes({ lastSeen: '2999-01-01T00:00:00.000Z' })
  await db.close()

  const world: FuzzWorld = {
    open: await fuzzBatch(open, [0], 3),
    completed: await fuzzBatch(completed, [0], 1),
    cancelled: await fuzzBatch(cancelled, [0], 2),
    foreign: await fuzzBatch(foreign, [], 1),
    tokens: [],
  }
  world.tokens = [world.open, world.completed, world.cancelled, world.foreign].flatMap(({ chunks }) =>
    chunks.flatMap((chunk) => chunk.tickets.map((ticket) => ticket.token)),
  )
  return { app, sessionToken: token, database, world }
}
