import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { CHUNK_BODY_LIMIT } from '../src/routes/chunks.ts'
import {
  batchWithCommittedChunkZero,
  buildTestApp,
  createWithChunks,
  errorOf,
  forgeWithBatchKey,
  makeTestBatch,
  putChunk,
  storedProgress,
  tamperToken,
  verifyToken,
  type TestBatch,
} from './helper.ts'

describe('PUT /api/batches/:id/chunks/:index refuses, leaving the batch unchanged,', () => {
  async function expectRefusal(
    t: Parameters<typeof buildTestApp>[0],
    makeRequest: (batch: TestBatch) => Promise<{ index?: number; body?: unknown; url?: string; headers?: Record<string, string> }>,
    expected: { status: number; code: string; message?: RegExp | string },
  ) {
    const { api, batch, before } = await batchWithCommittedChunkZero(t)
    const request = await makeRequest(batch)
    const response = await api.inject({
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
    assert.deepEqual(await storedProgress(api, batch.id), before)
    return { error, batch, api }
  }

  test('a body without tickets (400 INVALID_REQUEST)', async (t) => {
    await expectRefusal(t, async () => ({ body: { tickets: [] } }), {
      status: 400,
      code: 'INVALID_REQUEST',
      message: 'body/tickets must not have fewer than 1 items',
    })
  })

  test('a token that is not base32 (400 INVALID_REQUEST naming the ticket)', async (t) => {
    await expectRefusal(
      t,
      async (batch) => {
        const body = await batch.chunk(1)
        body.tickets[3]!.token = body.tickets[3]!.token.toLowerCase()
        return { body }
      },
      { status: 400, code: 'INVALID_REQUEST', message: /^body\/tickets\/3\/token must match pattern/ },
    )
  })

  test('more than 50 tickets (400 INVALID_REQUEST)', async (t) => {
    await expectRefusal(
      t,
      async (batch) => {
        const body = await batch.chunk(1)
        return { body: { tickets: [...body.tickets, { serial: 100, token: 'AAAA' }] } }
      },
      { status: 400, code: 'INVALID_REQUEST', message: /^body\/tickets must not have more than 50 items/ },
    )
  })

  test('an index that is not a non-negative integer (400 INVALID_REQUEST)', async (t) => {
    for (const index of ['-1', 'abc', '1.5', '20000']) {
      await expectRefusal(t, async (batch) => ({ url: `/api/batches/${batch.id}/chunks/${index}`, body: await batch.chunk(1) }), {
        status: 400,
        code: 'INVALID_REQUEST',
        message: /^params\/index /,
      })
    }
  })

  test('an unknown batch (404 BATCH_NOT_FOUND)', async (t) => {
    const other = crypto.randomUUID()
    await expectRefusal(t, async (batch) => ({ url: `/api/batches/${other}/chunks/1`, body: await batch.chunk(1) }), {
      status: 404,
      code: 'BATCH_NOT_FOUND',
      message: `batch ${other} not found`,
    })
  })

  for (const action of ['cancel', 'complete'] as const) {
    test(`a ${action === 'cancel' ? 'cancelled' : 'completed'} batch (409 BATCH_NOT_OPEN naming the state)`, async (t) => {
      const { api } = await buildTestApp(t)
      const batch = await makeTestBatch({ quantity: 50 })
      // A completed batch holds every chunk, so the upload names an index it never had: the state
      // is checked before the index range.
      await createWithChunks(api, batch, action === 'complete' ? [0] : [])
      await api.inject({ method: 'POST', url: `/api/batches/${batch.id}/${action}` })
      const before = await storedProgress(api, batch.id)
      const state = action === 'cancel' ? 'cancelled' : 'completed'
      const body = await batch.chunk(0)
      const index = action === 'complete' ? 1 : 0
      const response = await putChunk(api, batch.id, index, body)
      assert.equal(response.statusCode, 409)
      assert.equal(errorOf(response).code, 'BATCH_NOT_OPEN')
      assert.equal(errorOf(response).message, `batch ${batch.id} is ${state}; it accepts no more chunks`)
      assert.deepEqual(await storedProgress(api, batch.id), before)
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
    await expectRefusal(
      t,
      async (batch) => {
        const body = await batch.chunk(1)
        body.tickets[49] = { serial: 110, token: await batch.token(110) }
        return { body }
      },
      { status: 422, code: 'CHUNK_SERIAL_MISMATCH', message: 'chunk 1 must hold serials 50–99; got 50–98 and 110' },
    )
  })

  test('a tampered token (422 TOKEN_INVALID naming the serial and reason), and no ticket of the chunk is stored', async (t) => {
    const { error, batch, api } = await expectRefusal(
      t,
      async (batch) => {
        const body = await batch.chunk(1)
        body.tickets[3]!.token = tamperToken(body.tickets[3]!.token)
        return { body }
      },
      { status: 422, code: 'TOKEN_INVALID', message: 'ticket 53: token signature invalid' },
    )
    assert.deepEqual(error.details, {
      problemCount: 1,
      problems: [{ serial: 53, reason: 'BAD_SIGNATURE', message: 'token signature invalid' }],
    })
    assert.equal((await verifyToken(api, await batch.token(50))).reason, 'NOT_ISSUED')
  })

  test('a token from another batch (422 TOKEN_INVALID, WRONG_BATCH)', async (t) => {
    const other = await makeTestBatch({ quantity: 120 })
    const { error } = await expectRefusal(
      t,
      async (batch) => {
        const body = await batch.chunk(1)
        body.tickets[0]!.token = await other.token(50)
        return { body }
      },
      { status: 422, code: 'TOKEN_INVALID', message: `ticket 50: token belongs to batch ${other.id}` },
    )
    assert.equal(error.details.problems[0].reason, 'WRONG_BATCH')
  })

  test('a token of another ticket type signed with the batch key (422 TOKEN_INVALID, WRONG_TICKET_TYPE)', async (t) => {
    const { error } = await expectRefusal(
      t,
      async (batch) => {
        const body = await batch.chunk(1)
        body.tickets[10]!.token = await forgeWithBatchKey(batch, { ticketType: 'VIP' })(60)
        return { body }
      },
      { status: 422, code: 'TOKEN_INVALID', message: 'ticket 60: token is for ticket type "VIP", not "General admission"' },
    )
    assert.equal(error.details.problems[0].reason, 'WRONG_TICKET_TYPE')
  })

  test('tokens whose serial differs from their ticket serial (422 TOKEN_INVALID listing each)', async (t) => {
    const { error } = await expectRefusal(
      t,
      async (batch) => {
        const body = await batch.chunk(1)
        const [a, b] = [body.tickets[20]!.token, body.tickets[21]!.token]
        body.tickets[20]!.token = b
        body.tickets[21]!.token = a
        return { body }
      },
      { status: 422, code: 'TOKEN_INVALID', message: 'ticket 70: token is for serial 71 (and 1 more bad ticket)' },
    )
    assert.deepEqual(
      error.details.problems.map((problem: { serial: number; reason: string }) => [problem.serial, problem.reason]),
      [
        [70, 'SERIAL_MISMATCH'],
        [71, 'SERIAL_MISMATCH'],
      ],
    )
  })

  test('a chunk of the largest size the schema admits is not refused for its size (here 422 for its index)', async (t) => {
    await expectRefusal(
      t,
      async () => {
        const tickets = Array.from({ length: 50 }, (_, i) => ({ serial: 999_950 + i, token: 'A'.repeat(512) }))
        const body = JSON.stringify({ tickets })
        assert.equal(Buffer.byteLength(body), CHUNK_BODY_LIMIT)
        return { index: 19_999, body, headers: { 'content-type': 'application/json' } }
      },
      { status: 422, code: 'CHUNK_INDEX_OUT_OF_RANGE' },
    )
  })

  test('a body one byte larger than the largest chunk the schema admits (413 BODY_TOO_LARGE)', async (t) => {
    await expectRefusal(
      t,
      async (batch) => {
        const body = JSON.stringify(await batch.chunk(1))
        return { body: body.padEnd(CHUNK_BODY_LIMIT + 1, ' '), headers: { 'content-type': 'application/json' } }
      },
      { status: 413, code: 'BODY_TOO_LARGE', message: `request body is larger than this route accepts (${CHUNK_BODY_LIMIT} bytes)` },
    )
  })

  test('malformed JSON (400 MALFORMED_JSON)', async (t) => {
    await expectRefusal(t, async () => ({ body: '{"tickets": [', headers: { 'content-type': 'application/json' } }), {
      status: 400,
      code: 'MALFORMED_JSON',
    })
  })

  test('a body that is not JSON (415 UNSUPPORTED_MEDIA_TYPE)', async (t) => {
    await expectRefusal(t, async (batch) => ({ body: JSON.stringify(await batch.chunk(1)), headers: { 'content-type': 'text/plain' } }), {
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: /"text\/plain" is not supported/,
    })
  })
})
