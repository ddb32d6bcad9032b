import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, test } from 'node:test'
import { decodeBase32, encodeBase32 } from '@boxoffice/tickets'
import type { ChunkVerifier } from '../src/verification/chunk-verifier.ts'
import { createInProcessChunkVerifier } from '../src/verification/in-process-chunk-verifier.ts'
import {
  buildTestApp,
  createBatch,
  createWithChunks,
  errorOf,
  forgeWithBatchKey,
  getStatus,
  makeTestBatch,
  putChunk,
  storedProgress,
  type App,
  type TestBatch,
} from './helper.ts'

function tamper(token: string): string {
  const bytes = decodeBase32(token)!
  bytes[bytes.length - 1]! ^= 1
  return encodeBase32(bytes)
}

async function verify(app: App, token: string) {
  return (await app.inject({ method: 'POST', url: '/api/tokens/verify', payload: { token } })).json()
}

/** Batch of 120 tickets (chunks 0–2) with chunk 0 committed. */
async function batchWithChunkZero(t: Parameters<typeof buildTestApp>[0]) {
  const { app } = await buildTestApp(t)
  const batch = await makeTestBatch({ quantity: 120 })
  await createWithChunks(app, batch, [0])
  return { app, batch, before: await storedProgress(app, batch.id) }
}

describe('PUT /api/batches/:id/chunks/:index accepts', () => {
  test('a correct chunk: 200 ChunkAck with the digest and the new counters, tickets stored', async (t) => {
    const { app } = await buildTestApp(t)
    const batch = await makeTestBatch({ quantity: 120 })
    await createBatch(app, batch.body)
    const body = await batch.chunk(1)
    const response = await putChunk(app, batch.id, 1, body)
    assert.equal(response.statusCode, 200)
    const digest = createHash('sha256').update(body.tickets.map((ticket) => ticket.token).join('\n')).digest('hex')
    assert.deepEqual(response.json(), { batchId: batch.id, index: 1, digest, duplicate: false, chunksReceived: 1, ticketsReceived: 50 })
    assert.deepEqual((await getStatus(app, batch.id)).committedChunks, [[1, 1]])
    assert.equal((await verify(app, body.tickets[7]!.token)).valid, true)
  })

  test('the shorter last chunk', async (t) => {
    const { app } = await buildTestApp(t)
    const batch = await makeTestBatch({ quantity: 120 })
    await createBatch(app, batch.body)
    const response = await putChunk(app, batch.id, 2, await batch.chunk(2))
    assert.equal(response.statusCode, 200)
    assert.equal(response.json().ticketsReceived, 20)
  })
})

describe('PUT /api/batches/:id/chunks/:index replays', () => {
  test('the same chunk again: 200 duplicate:true and nothing inserted', async (t) => {
    const { app, batch, before } = await batchWithChunkZero(t)
    const response = await putChunk(app, batch.id, 0, await batch.chunk(0))
    assert.equal(response.statusCode, 200)
    assert.equal(response.json().duplicate, true)
    assert.equal(response.json().ticketsReceived, 50)
    assert.deepEqual(await storedProgress(app, batch.id), before)
  })

  test('the same chunk after the batch completed or was cancelled still answers 200 duplicate:true', async (t) => {
    const { app } = await buildTestApp(t)
    const done = await makeTestBatch({ quantity: 50 })
    await createWithChunks(app, done, [0])
    await app.inject({ method: 'POST', url: `/api/batches/${done.id}/complete` })
    const afterComplete = await putChunk(app, done.id, 0, await done.chunk(0))
    assert.equal(afterComplete.statusCode, 200)
    assert.equal(afterComplete.json().duplicate, true)

    const cancelled = await makeTestBatch({ quantity: 100 })
    await createWithChunks(app, cancelled, [0])
    await app.inject({ method: 'POST', url: `/api/batches/${cancelled.id}/cancel` })
    const afterCancel = await putChunk(app, cancelled.id, 0, await cancelled.chunk(0))
    assert.equal(afterCancel.statusCode, 200)
    assert.equal(afterCancel.json().duplicate, true)
  })

  test('different content for a committed index: 409 CHUNK_CONFLICT and the stored tickets unchanged', async (t) => {
    const { app, batch, before } = await batchWithChunkZero(t)
    const body = await batch.chunk(0)
    const original = body.tickets[3]!.token
    body.tickets[3] = { serial: 3, token: tamper(original) }
    const response = await putChunk(app, batch.id, 0, body)
    assert.equal(response.statusCode, 409)
    assert.equal(errorOf(response).code, 'CHUNK_CONFLICT')
    assert.match(errorOf(response).message, /chunk 0 of batch .* is already committed with different content/)
    assert.deepEqual(await storedProgress(app, batch.id), before)
    assert.equal((await verify(app, original)).valid, true)
  })
})

describe('PUT /api/batches/:id/chunks/:index under concurrency', () => {
  test('20 concurrent identical uploads of one chunk store it exactly once', async (t) => {
    const { app } = await buildTestApp(t)
    const batch = await makeTestBatch({ quantity: 120 })
    await createBatch(app, batch.body)
    const body = await batch.chunk(1)
    const responses = await Promise.all(Array.from({ length: 20 }, () => putChunk(app, batch.id, 1, body)))
    assert.deepEqual(new Set(responses.map((response) => response.statusCode)), new Set([200]))
    assert.equal(responses.filter((response) => response.json().duplicate === false).length, 1)
    const status = await getStatus(app, batch.id)
    assert.equal(status.chunksReceived, 1)
    assert.equal(status.ticketsReceived, 50)
  })

  test('uploads that all passed the early duplicate check while verifying are still stored once', async (t) => {
    // Holds every verification until all 20 requests are verifying, so none has committed yet
    // when each passed step 3: only the re-check inside the transaction can catch the duplicates.
    const inner = createInProcessChunkVerifier()
    const waiting: (() => void)[] = []
    const gated: ChunkVerifier = {
      async verifyChunk(batch, tickets) {
        await new Promise<void>((release) => {
          waiting.push(release)
          if (waiting.length === 20) waiting.forEach((go) => go())
        })
        return inner.verifyChunk(batch, tickets)
      },
      close: () => inner.close(),
    }
    const { app } = await buildTestApp(t, { chunkVerifier: gated })
    const batch = await makeTestBatch({ quantity: 120 })
    await createBatch(app, batch.body)
    const body = await batch.chunk(0)
    const responses = await Promise.all(Array.from({ length: 20 }, () => putChunk(app, batch.id, 0, body)))
    assert.equal(waiting.length, 20)
    assert.deepEqual(
      responses.map((response) => response.json().duplicate).sort(),
      [false, ...Array(19).fill(true)],
    )
    assert.equal((await getStatus(app, batch.id)).ticketsReceived, 50)
  })
})

describe('PUT /api/batches/:id/chunks/:index refuses, leaving the batch unchanged,', () => {
  async function expectRefusal(
    t: Parameters<typeof buildTestApp>[0],
    makeRequest: (batch: TestBatch) => Promise<{ index?: number; body?: unknown; url?: string; headers?: Record<string, string> }>,
    expected: { status: number; code: string; message?: RegExp | string },
  ) {
    const { app, batch, before } = await batchWithChunkZero(t)
    const request = await makeRequest(batch)
    const response = await app.inject({
      method: 'PUT',
      url: request.url ?? `/api/batches/${batch.id}/chunks/${request.index ?? 1}`,
      headers: request.headers,
      payload: request.body as string,
    })
    assert.equal(response.statusCode, expected.status, response.body)
    const error = errorOf(response)
    assert.equal(error.code, expected.code)
    if (typeof expected.message === 'string') assert.equal(error.message, expected.message)
    else if (expected.message) assert.match(error.message, expected.message)
    assert.deepEqual(await storedProgress(app, batch.id), before)
    return { error, batch, app }
  }

  test('a body without tickets (400 INVALID_REQUEST)', async (t) => {
    await expectRefusal(t, async () => ({ body: { tickets: [] } }), {
      status: 400, code: 'INVALID_REQUEST', message: 'body/tickets must not have fewer than 1 items',
    })
  })

  test('a token that is not base32 (400 INVALID_REQUEST naming the ticket)', async (t) => {
    await expectRefusal(t, async (batch) => {
      const body = await batch.chunk(1)
      body.tickets[3]!.token = body.tickets[3]!.token.toLowerCase()
      return { body }
    }, { status: 400, code: 'INVALID_REQUEST', message: /^body\/tickets\/3\/token must match pattern/ })
  })

  test('more than 50 tickets (400 INVALID_REQUEST)', async (t) => {
    await expectRefusal(t, async (batch) => {
      const body = await batch.chunk(1)
      return { body: { tickets: [...body.tickets, { serial: 100, token: 'AAAA' }] } }
    }, { status: 400, code: 'INVALID_REQUEST', message: /^body\/tickets must not have more than 50 items/ })
  })

  test('an index that is not a non-negative integer (400 INVALID_REQUEST)', async (t) => {
    for (const index of ['-1', 'abc', '1.5', '20000']) {
      await expectRefusal(t, async (batch) => ({ url: `/api/batches/${batch.id}/chunks/${index}`, body: await batch.chunk(1) }), {
        status: 400, code: 'INVALID_REQUEST', message: /^params\/index /,
      })
    }
  })

  test('an unknown batch (404 BATCH_NOT_FOUND)', async (t) => {
    const other = crypto.randomUUID()
    await expectRefusal(t, async (batch) => ({ url: `/api/batches/${other}/chunks/1`, body: await batch.chunk(1) }), {
      status: 404, code: 'BATCH_NOT_FOUND', message: `batch ${other} not found`,
    })
  })

  for (const action of ['cancel', 'complete'] as const) {
    test(`a ${action === 'cancel' ? 'cancelled' : 'completed'} batch (409 BATCH_NOT_OPEN naming the state)`, async (t) => {
      const { app } = await buildTestApp(t)
      const batch = await makeTestBatch({ quantity: 50 })
      // A completed batch holds every chunk, so the upload names an index it never had: the state
      // is checked before the index range.
      await createWithChunks(app, batch, action === 'complete' ? [0] : [])
      await app.inject({ method: 'POST', url: `/api/batches/${batch.id}/${action}` })
      const before = await storedProgress(app, batch.id)
      const state = action === 'cancel' ? 'cancelled' : 'completed'
      const body = await batch.chunk(0)
      const index = action === 'complete' ? 1 : 0
      const response = await putChunk(app, batch.id, index, body)
      assert.equal(response.statusCode, 409)
      assert.equal(errorOf(response).code, 'BATCH_NOT_OPEN')
      assert.equal(errorOf(response).message, `batch ${batch.id} is ${state}; it accepts no more chunks`)
      assert.deepEqual(await storedProgress(app, batch.id), before)
    })
  }

  test('an index past the last chunk (422 CHUNK_INDEX_OUT_OF_RANGE naming the valid range)', async (t) => {
    await expectRefusal(t, async (batch) => ({ index: 3, body: await batch.chunk(2) }), {
      status: 422,
      code: 'CHUNK_INDEX_OUT_OF_RANGE',
      message: 'chunk index 3 is out of range: a batch of 120 tickets has chunks 0–2',
    })
  })

  test('serials that are not exactly those of the chunk (422 CHUNK_SERIAL_MISMATCH)', async (t) => {
    await expectRefusal(t, async (batch) => {
      const body = await batch.chunk(1)
      body.tickets[49] = { serial: 110, token: await batch.token(110) }
      return { body }
    }, { status: 422, code: 'CHUNK_SERIAL_MISMATCH', message: 'chunk 1 must hold serials 50–99; got 50–98 and 110' })
  })

  test('a tampered token (422 TOKEN_INVALID naming the serial and reason), and no ticket of the chunk is stored', async (t) => {
    const { error, batch, app } = await expectRefusal(t, async (batch) => {
      const body = await batch.chunk(1)
      body.tickets[3]!.token = tamper(body.tickets[3]!.token)
      return { body }
    }, { status: 422, code: 'TOKEN_INVALID', message: 'ticket 53: token signature invalid' })
    assert.deepEqual(error.details, {
      problemCount: 1,
      problems: [{ serial: 53, reason: 'BAD_SIGNATURE', message: 'token signature invalid' }],
    })
    assert.equal((await verify(app, await batch.token(50))).reason, 'NOT_ISSUED')
  })

  test('a token from another batch (422 TOKEN_INVALID, WRONG_BATCH)', async (t) => {
    const other = await makeTestBatch({ quantity: 120 })
    const { error } = await expectRefusal(t, async (batch) => {
      const body = await batch.chunk(1)
      body.tickets[0]!.token = await other.token(50)
      return { body }
    }, { status: 422, code: 'TOKEN_INVALID', message: `ticket 50: token belongs to batch ${other.id}` })
    assert.equal(error.details.problems[0].reason, 'WRONG_BATCH')
  })

  test('a token of another ticket type signed with the batch key (422 TOKEN_INVALID, WRONG_TICKET_TYPE)', async (t) => {
    const { error } = await expectRefusal(t, async (batch) => {
      const body = await batch.chunk(1)
      body.tickets[10]!.token = await forgeWithBatchKey(batch, { ticketType: 'VIP' })(60)
      return { body }
    }, { status: 422, code: 'TOKEN_INVALID', message: 'ticket 60: token is for ticket type "VIP", not "General admission"' })
    assert.equal(error.details.problems[0].reason, 'WRONG_TICKET_TYPE')
  })

  test('tokens whose serial differs from their ticket serial (422 TOKEN_INVALID listing each)', async (t) => {
    const { error } = await expectRefusal(t, async (batch) => {
      const body = await batch.chunk(1)
      const [a, b] = [body.tickets[20]!.token, body.tickets[21]!.token]
      body.tickets[20]!.token = b
      body.tickets[21]!.token = a
      return { body }
    }, { status: 422, code: 'TOKEN_INVALID', message: 'ticket 70: token is for serial 71 (and 1 more bad ticket)' })
    assert.deepEqual(
      error.details.problems.map((problem: { serial: number; reason: string }) => [problem.serial, problem.reason]),
      [[70, 'SERIAL_MISMATCH'], [71, 'SERIAL_MISMATCH']],
    )
  })

  test('a body over the chunk route limit (413 BODY_TOO_LARGE)', async (t) => {
    await expectRefusal(t, async (batch) => ({
      body: JSON.stringify({ ...(await batch.chunk(1)), padding: ' '.repeat(70 * 1024) }),
      headers: { 'content-type': 'application/json' },
    }), { status: 413, code: 'BODY_TOO_LARGE', message: /65536 bytes/ })
  })

  test('malformed JSON (400 MALFORMED_JSON)', async (t) => {
    await expectRefusal(t, async () => ({ body: '{"tickets": [', headers: { 'content-type': 'application/json' } }), {
      status: 400, code: 'MALFORMED_JSON',
    })
  })

  test('a body that is not JSON (415 UNSUPPORTED_MEDIA_TYPE)', async (t) => {
    await expectRefusal(t, async (batch) => ({ body: JSON.stringify(await batch.chunk(1)), headers: { 'content-type': 'text/plain' } }), {
      status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: /"text\/plain" is not supported/,
    })
  })
})
