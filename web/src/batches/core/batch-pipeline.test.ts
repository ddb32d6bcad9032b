import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { runBatchPipeline, type PipelineDependencies, type PipelineEvents } from './batch-pipeline.ts'
import { RequestRejectedError, type RetryNotice } from './call-with-retry.ts'
import { creationBody, type LocalBatch } from './local-batch.ts'
import { PIPELINE_SETTINGS } from './pipeline-settings.ts'
import { DEFAULT_RETRY_POLICY } from './retry-policy.ts'
import { FakeServer, MemoryStagingStore, ScriptedConnectivity, deferred, fakeChunk, fakeSigner } from './testing/fakes.ts'

function setup(quantity: number, overrides: Partial<LocalBatch> = {}) {
  const batch: LocalBatch = {
    id: crypto.randomUUID(),
    eventId: 'event-1',
    ticketTypeId: 'type-1',
    event: 'Gala',
    ticketType: 'General',
    price: { amountMinor: 2500, currency: 'EUR' },
    quantity,
    publicKey: 'A'.repeat(43),
    createdAt: new Date(0).toISOString(),
    generatedCount: 0,
    registered: false,
    paused: false,
    ...overrides,
  }
  const server = new FakeServer()
  const store = new MemoryStagingStore()
  const connectivity = new ScriptedConnectivity()
  const notices: { notice: RetryNotice; chunkIndex: number | undefined }[] = []
  const deps: PipelineDependencies = {
    transport: server,
    store,
    connectivity,
    policy: DEFAULT_RETRY_POLICY,
    signer: fakeSigner(batch.id),
    settings: { ...PIPELINE_SETTINGS, uploadsInFlight: 3, chunksPerTransaction: 2, handoffLimit: 4 },
    random: () => 0.5,
  }
  const run = (signal = new AbortController().signal, events: PipelineEvents = {}) =>
    runBatchPipeline(batch, deps, { ...events, onNotice: (notice, chunkIndex) => notices.push({ notice, chunkIndex }) }, signal)
  /** Resolves once every ticket of the batch is staged. */
  const allStaged = () => {
    const staged = deferred()
    return { staged: staged.promise, onGenerated: (generated: number) => generated === quantity && staged.resolve() }
  }
  return { batch, server, store, connectivity, deps, notices, run, allStaged }
}

/** Chunks 0–5 staged here (300 tickets); the batch and chunks 0–2 already on the server; sends counted from here. */
async function stageWithServerHolding(server: FakeServer, store: MemoryStagingStore, deps: PipelineDependencies, batch: LocalBatch) {
  await server.registerBatch(creationBody(batch))
  for (let index = 0; index < 6; index++) {
    const chunk = await fakeChunk(deps.signer, index)
    await store.stageChunks(batch.id, [chunk], (index + 1) * 50)
    if (index < 3) await server.putChunk(batch.id, chunk)
  }
  server.putCalls = []
}

function assertExact(server: FakeServer, batch: LocalBatch) {
  const expected = Array.from({ length: batch.quantity }, (_, serial) => `${batch.id.slice(0, 8).toUpperCase()}${serial}`)
  assert.deepEqual(server.tokens(batch.id), expected)
  assert.equal(server.batches.get(batch.id)!.state, 'completed')
}

describe('batch pipeline', () => {
  test('a 503, then a dropped response, then success: every ticket lands once and staging empties', async () => {
    const { batch, server, store, notices, run } = setup(520)
    server.chunkFaults = [{ status: 503, retryAfterMs: 4000 }, 'drop-response']
    const status = await run()
    assert.equal(status.state, 'completed')
    assertExact(server, batch)
    assert.deepEqual(store.stagedIndexes(batch.id), [])
    const retries = notices.filter(({ notice }) => notice.kind === 'retrying')
    assert.equal(retries.length, 2)
    assert.equal(retries[0]!.notice.kind === 'retrying' && retries[0]!.notice.delayMs, 4000, 'Retry-After honoured')
    // The chunk whose response was lost was sent again and acknowledged as a duplicate.
    assert.equal(server.putCalls.length, 11 + 2)
  })

  test('a rejected chunk stops the batch, names the chunk, and leaves it staged', async () => {
    const { batch, server, store, run } = setup(300, { generatedCount: 0 })
    server.chunkFaults = [{ status: 422, code: 'TOKEN_INVALID' }]
    await assert.rejects(run(), (error: unknown) => {
      assert.ok(error instanceof RequestRejectedError)
      assert.equal(error.operation, 'chunk 0')
      assert.equal(error.chunkIndex, 0)
      assert.equal(error.failure.code, 'TOKEN_INVALID')
      return true
    })
    assert.ok(store.stagedIndexes(batch.id).includes(0), 'the refused chunk is still staged')
    for (const index of store.stagedIndexes(batch.id)) assert.ok(!server.batches.get(batch.id)!.chunks.has(index) || index !== 0)
    assert.notEqual(server.batches.get(batch.id)!.state, 'completed')
  })

  test('while offline it waits for the network instead of spending retries, and generates nothing before the server accepts the batch', async () => {
    const { batch, server, store, connectivity, run } = setup(200)
    connectivity.setOnline(false)
    const running = run()
    // Registration waits for the network; generation waits for registration (the capacity it reserves).
    await connectivity.untilWaitedOn()
    await new Promise((resolve) => setTimeout(resolve, 20))
    assert.equal(store.chunks.size, 0, 'nothing staged before the server accepted the batch')
    assert.equal(server.putCalls.length, 0)
    assert.equal(connectivity.sleeps.length, 0, 'no backoff spent while offline')
    connectivity.setOnline(true)
    await running
    assertExact(server, batch)
  })

  test('a network drop that takes the browser offline waits for online, then resumes', async () => {
    const { batch, server, connectivity, run } = setup(150)
    server.chunkFaults = ['drop-request']
    server.beforePut = async () => {
      if (server.putCalls.length === 1) connectivity.setOnline(false)
    }
    const running = run()
    await connectivity.untilWaitedOn()
    assert.equal(connectivity.sleeps.length, 0)
    connectivity.setOnline(true)
    await running
    assertExact(server, batch)
  })

  test('resuming asks the server what it holds and sends only the rest', async () => {
    const { batch, server, store, deps, run } = setup(500, { generatedCount: 300, registered: true })
    // Before the "reload": chunks 0–5 were staged, 0–2 reached the server but were never deleted here.
    await stageWithServerHolding(server, store, deps, batch)
    await run()
    assert.deepEqual(
      server.putCalls.sort((a, b) => a - b),
      [3, 4, 5, 6, 7, 8, 9],
    )
    assertExact(server, batch)
    assert.deepEqual(store.stagedIndexes(batch.id), [])
  })

  test('registering takes what the server holds from the creation answer (a replay after a lost answer), with no second request', async () => {
    const { batch, server, store, deps, run } = setup(500, { generatedCount: 300 })
    // The creation reached the server before, and chunks 0–2, but its answer never came back.
    await stageWithServerHolding(server, store, deps, batch)
    await run()
    assert.equal(server.statusCalls, 0)
    assert.deepEqual(
      server.putCalls.sort((a, b) => a - b),
      [3, 4, 5, 6, 7, 8, 9],
    )
    assertExact(server, batch)
  })

  test('never more than the configured number of chunks in flight, dispatched in order', async () => {
    const { batch, server, deps, run } = setup(1000)
    deps.settings.uploadsInFlight = 3
    let inFlight = 0
    let maxInFlight = 0
    const gates: ReturnType<typeof deferred<void>>[] = []
    server.beforePut = async () => {
      inFlight++
      maxInFlight = Math.max(maxInFlight, inFlight)
      const gate = deferred()
      gates.push(gate)
      // Every lane holds a request: the oldest is answered. Once the last chunk is sent, all are.
      if (server.putCalls.length === 20) for (const open of gates.splice(0)) open.resolve()
      else if (inFlight === deps.settings.uploadsInFlight) gates.shift()!.resolve()
      await gate.promise
      inFlight--
    }
    await run()
    assert.equal(maxInFlight, 3)
    assert.deepEqual(
      server.putCalls,
      Array.from({ length: 20 }, (_, i) => i),
    )
    assertExact(server, batch)
  })

  test('a storage failure stops generation but what was staged still uploads', async () => {
    const { batch, server, store, run, deps } = setup(1000)
    store.failAfterTransactions = 2 // 2 transactions × 2 chunks = 200 tickets staged
    let stopped: unknown
    await assert.rejects(
      runBatchPipeline(batch, deps, { onGenerationStopped: (error) => (stopped = error) }, new AbortController().signal),
      (error: unknown) => error instanceof DOMException && error.name === 'QuotaExceededError',
    )
    assert.ok(stopped instanceof DOMException)
    assert.equal(server.ticketCount(batch.id), 200)
    assert.deepEqual(store.stagedIndexes(batch.id), [])
    void run
  })

  test('storage full while every upload lane is busy: each staged chunk still uploads before the batch stops', async () => {
    const { batch, server, store, deps } = setup(2000)
    deps.settings.uploadsInFlight = 4
    store.failAfterTransactions = 5 // 5 transactions × 2 chunks = 500 tickets staged
    const generationStopped = deferred<unknown>()
    // Every upload waits until generation has stopped, so all lanes are mid-request when it does.
    server.beforePut = () => generationStopped.promise.then(() => undefined)
    const run = runBatchPipeline(
      batch,
      deps,
      { onGenerationStopped: (error) => generationStopped.resolve(error) },
      new AbortController().signal,
    )
    await assert.rejects(run, (error: unknown) => error instanceof DOMException && error.name === 'QuotaExceededError')
    assert.ok((await generationStopped.promise) instanceof DOMException)
    assert.equal(store.generatedCount.get(batch.id), 500)
    assert.deepEqual(
      server.tokens(batch.id),
      Array.from({ length: 500 }, (_, serial) => `${batch.id.slice(0, 8).toUpperCase()}${serial}`),
    )
    assert.deepEqual(store.stagedIndexes(batch.id), [])
    assert.equal(server.batches.get(batch.id)!.state, 'open')
  })

  test('after storage filled up, running again generates the rest from the staged serial and finishes exactly', async () => {
    const { batch, server, store, deps } = setup(1000)
    store.failAfterTransactions = 3
    await assert.rejects(runBatchPipeline(batch, deps, {}, new AbortController().signal))
    assert.equal(server.ticketCount(batch.id), 300)
    // Space freed; the batch as the store now holds it resumes.
    store.failAfterTransactions = Infinity
    const signed: number[] = []
    const { sign, token } = deps.signer
    deps.signer = { sign: (serial) => (signed.push(serial), sign(serial)), token }
    const resumed = { ...batch, generatedCount: store.generatedCount.get(batch.id)!, registered: store.registered.has(batch.id) }
    await runBatchPipeline(resumed, deps, {}, new AbortController().signal)
    assert.equal(Math.min(...signed), 300, 'nothing generated twice')
    assertExact(server, batch)
  })

  test('a 401 waits for a sign-in instead of failing, then finishes exactly', async () => {
    const { batch, server, deps, notices, run } = setup(500)
    server.chunkFaults = [
      { status: 401, code: 'SESSION_EXPIRED' },
      { status: 401, code: 'SESSION_EXPIRED' },
    ]
    // Every wait for a sign-in ends with the one sign-in; the test holds it until it has looked.
    const signIn = deferred()
    const firstWait = deferred()
    const signIns: number[] = []
    deps.session = {
      waitForSignIn: () => {
        signIns.push(signIns.length)
        firstWait.resolve()
        return signIn.promise
      },
    }
    const running = run()
    await firstWait.promise
    assert.ok(signIns.length >= 1, 'the upload waits for a sign-in')
    assert.ok(notices.some(({ notice }) => notice.kind === 'signed-out'))
    signIn.resolve()
    await running
    assertExact(server, batch)
    assert.equal(notices.filter(({ notice }) => notice.kind === 'retrying').length, 0, 'no backoff spent on a 401')
  })

  test('without a way to sign in again, a 401 stops the batch like any other 4xx', async () => {
    const { server, run } = setup(100)
    server.chunkFaults = [{ status: 401, code: 'AUTH_REQUIRED' }]
    await assert.rejects(run(), RequestRejectedError)
  })

  test('aborting (pause) stops at once and keeps unacknowledged chunks staged', async () => {
    const { batch, server, store, run } = setup(1000)
    const controller = new AbortController()
    server.beforePut = async (index) => {
      if (index === 4) controller.abort(new DOMException('paused', 'AbortError'))
    }
    await assert.rejects(run(controller.signal))
    const staged = store.stagedIndexes(batch.id)
    const onServer = [...server.batches.get(batch.id)!.chunks.keys()]
    for (let index = 0; index < store.generatedCount.get(batch.id)! / 50; index++) {
      assert.ok(staged.includes(index) || onServer.includes(index), `chunk ${index} neither staged nor on the server`)
    }
  })
})

describe('capacity', () => {
  test('a batch the ticket type has no room for is refused before any ticket is generated or staged', async () => {
    const { server, store, run, deps } = setup(500)
    server.capacityRemaining = 499
    let signed = 0
    const { sign } = deps.signer
    deps.signer.sign = async (serial) => (signed++, sign(serial))
    await assert.rejects(run(), (error: unknown) => error instanceof RequestRejectedError && error.failure.code === 'CAPACITY_EXCEEDED')
    assert.equal(signed, 0, 'nothing was signed')
    assert.equal(store.chunks.size, 0, 'nothing was staged')
  })

  test('a batch staged before events and never registered fails with a message saying to create it again', async () => {
    const { run } = setup(100, { ticketTypeId: undefined })
    await assert.rejects(run(), /started before events existed and never reached the server/)
  })
})
