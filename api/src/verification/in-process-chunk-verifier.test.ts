import assert from 'node:assert/strict'
import { test } from 'node:test'
import { encodeBase32, decodeBase32 } from '@boxoffice/tickets'
import { forgeWithBatchKey, makeTestBatch } from '../../test/helper.ts'
import { createInProcessChunkVerifier } from './in-process-chunk-verifier.ts'

function keyOf(batch: Awaited<ReturnType<typeof makeTestBatch>>) {
  return { batchId: batch.id, ticketType: batch.body.ticketType, publicKey: batch.body.publicKey }
}

function flipLastByte(token: string): string {
  const bytes = decodeBase32(token)!
  bytes[bytes.length - 1]! ^= 1
  return encodeBase32(bytes)
}

test('a correctly signed chunk has no problems', async () => {
  const batch = await makeTestBatch()
  const verifier = createInProcessChunkVerifier()
  assert.deepEqual(await verifier.verifyChunk(keyOf(batch), (await batch.chunk(0)).tickets), [])
})

test('each kind of bad ticket is reported with its serial and reason, in input order', async () => {
  const batch = await makeTestBatch()
  const other = await makeTestBatch()
  const tickets = (await batch.chunk(0)).tickets.slice(0, 7)
  tickets[1] = { serial: 1, token: 'AE' } // version 1, then nothing
  tickets[2] = { serial: 2, token: flipLastByte(tickets[2]!.token) }
  tickets[3] = { serial: 3, token: await other.token(3) }
  tickets[4] = { serial: 4, token: await batch.token(5) }
  tickets[5] = { serial: 5, token: await forgeWithBatchKey(batch, { ticketType: 'VIP' })(5) }
  const withVersion2 = decodeBase32(tickets[6]!.token)!
  withVersion2[0] = 2
  tickets[6] = { serial: 6, token: encodeBase32(withVersion2) }

  const problems = await createInProcessChunkVerifier().verifyChunk(keyOf(batch), tickets)
  assert.deepEqual(
    problems.map(({ serial, reason }) => [serial, reason]),
    [
      [1, 'BAD_ENCODING'],
      [2, 'BAD_SIGNATURE'],
      [3, 'WRONG_BATCH'],
      [4, 'SERIAL_MISMATCH'],
      [5, 'WRONG_TICKET_TYPE'],
      [6, 'UNKNOWN_VERSION'],
    ],
  )
  assert.equal(problems[1]!.message, 'token signature invalid')
  assert.equal(problems[3]!.message, 'token is for serial 5')
  assert.equal(problems[4]!.message, 'token is for ticket type "VIP", not "General admission"')
})

test('a token signed by another key is a bad signature even when it names this batch', async () => {
  const batch = await makeTestBatch()
  const impostor = await makeTestBatch({ id: batch.id })
  const problems = await createInProcessChunkVerifier().verifyChunk(keyOf(batch), [{ serial: 0, token: await impostor.token(0) }])
  assert.deepEqual(problems.map((problem) => problem.reason), ['BAD_SIGNATURE'])
})
