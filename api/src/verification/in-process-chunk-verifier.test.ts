import assert from 'node:assert/strict'
import { test } from 'node:test'
import { makeTestBatch } from '../../test/helper.ts'
import { chunkWithEveryKindOfBadTicket, expectedReasons, keyOf } from './bad-tickets.test-support.ts'
import { createInProcessChunkVerifier } from './in-process-chunk-verifier.ts'
import type { SignatureLibrary } from './signature-check.ts'

// Both signature libraries must report exactly the same problems: each test runs on each.
for (const library of ['libsodium', 'openssl'] as const satisfies readonly SignatureLibrary[]) {
  test(`${library}: a correctly signed chunk has no problems`, async () => {
    const batch = await makeTestBatch()
    const verifier = createInProcessChunkVerifier({ library })
    assert.deepEqual(await verifier.verifyChunk(keyOf(batch), (await batch.chunk(0)).tickets), [])
  })

  test(`${library}: each kind of bad ticket is reported with its serial and reason, in input order`, async () => {
    const batch = await makeTestBatch()
    const problems = await createInProcessChunkVerifier({ library }).verifyChunk(keyOf(batch), await chunkWithEveryKindOfBadTicket(batch))
    assert.deepEqual(
      problems.map(({ serial, reason }) => [serial, reason]),
      expectedReasons,
    )
    assert.equal(problems[1]!.message, 'token signature invalid')
    assert.equal(problems[3]!.message, 'token is for serial 5')
    assert.equal(problems[4]!.message, 'token is for ticket type "VIP", not "General admission"')
  })

  test(`${library}: a token signed by another key is a bad signature even when it names this batch`, async () => {
    const batch = await makeTestBatch()
    const impostor = await makeTestBatch({ id: batch.id })
    const problems = await createInProcessChunkVerifier({ library }).verifyChunk(keyOf(batch), [
      { serial: 0, token: await impostor.token(0) },
    ])
    assert.deepEqual(
      problems.map((problem) => problem.reason),
      ['BAD_SIGNATURE'],
    )
  })
}
