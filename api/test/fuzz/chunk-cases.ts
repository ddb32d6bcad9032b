// Hostile uploads to PUT /api/batches/:id/chunks/:index. Every one must be refused (4xx) and
// store nothing: a real chunk's body damaged in any way, a correct body sent where it does not
// belong, parameters that are not a batch or a chunk.
import { gzipSync } from 'node:zlib'
import fc from 'fast-check'
import { SIGNATURE_CHUNK_MEDIA_TYPE, type ChunkBody } from '@boxoffice/tickets'
import { signaturesOf } from '../helper.ts'
import { mutatedToken } from '@boxoffice/tickets/testing'
import type { FuzzWorld } from './fuzz-world.ts'
import { awkwardNumber, brokenJsonText, invalidObject, otherJsonType, withProperty, type Json, type JsonObject } from './json-mutations.ts'
import { badBatchId, badChunkIndex, unknownBatchId } from './request-parts.ts'
import type { CoreCase } from './route-cases.ts'

type Ticket = ChunkBody['tickets'][number]

/** `tickets` with the one at `at` replaced. */
function replaced(tickets: readonly Ticket[], at: number, ticket: Json): Json[] {
  return tickets.map((original, i) => (i === at ? ticket : (original as unknown as Json)))
}

/** A chunk body made invalid: as JSON text, never the original text. */
export function invalidChunkBody(body: ChunkBody, otherTokens: readonly string[]): fc.Arbitrary<string> {
  const { tickets } = body
  const position = fc.nat({ max: tickets.length - 1 })
  const asObject = (value: Json) => JSON.stringify({ tickets: value })
  const structural = fc.oneof(
    position.map((at) => asObject(tickets.filter((_, i) => i !== at) as unknown as Json[])),
    fc.tuple(position, position).map(([from, to]) => {
      const copy: Json[] = [...(tickets as unknown as Json[])]
      copy.splice(to, 0, tickets[from] as unknown as Json)
      return asObject(copy)
    }),
    fc
      .tuple(position, position)
      .filter(([a, b]) => a !== b)
      .map(([a, b]) => {
        const copy: Json[] = [...(tickets as unknown as Json[])]
        ;[copy[a], copy[b]] = [copy[b]!, copy[a]!]
        return asObject(copy)
      }),
    fc.constant(asObject([...tickets].reverse() as unknown as Json[])),
    fc.constant(asObject(Array.from({ length: 51 }, (_, i) => tickets[i % tickets.length] as unknown as Json))),
    fc.constant(asObject([])),
  )
  const serialChanged = fc
    .tuple(position, fc.oneof(fc.integer({ min: -5, max: 1_000_005 }), awkwardNumber))
    .map(([at, serial]) => asObject(replaced(tickets, at, { serial, token: tickets[at]!.token })))
  const tokenChanged = fc
    .tuple(position, fc.oneof(fc.constantFrom(...otherTokens), fc.constantFrom(...tickets.map((t) => t.token)).chain(mutatedToken)))
    .map(([at, token]) => asObject(replaced(tickets, at, { serial: tickets[at]!.serial, token })))
  const ticketInvalid = position.chain((at) =>
    invalidObject(tickets[at] as unknown as JsonObject, {
      token: fc.constantFrom('', 'A'.repeat(513), 'a', '====', ' AAAA', 'AAAA\n'),
    }).map((ticket) => asObject(replaced(tickets, at, ticket))),
  )
  const ticketRetyped = position.chain((at) => otherJsonType({}).map((ticket) => asObject(replaced(tickets, at, ticket))))
  const bodyInvalid = invalidObject(body as unknown as JsonObject).map((value) => JSON.stringify(value))
  const original = JSON.stringify(body)
  return fc
    .oneof(
      { weight: 3, arbitrary: structural },
      { weight: 3, arbitrary: serialChanged },
      { weight: 4, arbitrary: tokenChanged },
      { weight: 3, arbitrary: ticketInvalid },
      { weight: 1, arbitrary: ticketRetyped },
      { weight: 2, arbitrary: bodyInvalid },
      { weight: 1, arbitrary: otherJsonType({}).map((value) => JSON.stringify(value)) },
      { weight: 1, arbitrary: fc.jsonValue().map((value) => JSON.stringify(withProperty({}, 'tickets', value as Json))) },
      { weight: 1, arbitrary: brokenJsonText(original) },
    )
    .filter((text) => text !== original)
}

/** A signature body made invalid: bytes flipped, cut, grown, shuffled, or random; never the original. */
export function invalidSignatureBody(signatures: Buffer): fc.Arbitrary<Buffer> {
  const original = signatures.toString('hex')
  return fc
    .oneof(
      fc.tuple(fc.nat({ max: signatures.length - 1 }), fc.integer({ min: 1, max: 255 })).map(([at, mask]) => {
        const copy = Buffer.from(signatures)
        copy[at]! ^= mask
        return copy
      }),
      fc.nat({ max: signatures.length - 1 }).map((length) => signatures.subarray(0, length)),
      fc.uint8Array({ minLength: 1, maxLength: 200 }).map((extra) => Buffer.concat([signatures, extra])),
      fc.constant(Buffer.concat([signatures.subarray(64), signatures.subarray(0, 64)])),
      fc.uint8Array({ maxLength: 3300 }).map((bytes) => Buffer.from(bytes)),
    )
    .filter((bytes) => bytes.toString('hex') !== original)
}

/** Uploads aimed at the world's batches; `expect` is always 'refused'. */
export function chunkUploads(world: FuzzWorld): fc.Arbitrary<CoreCase> {
  const { open, completed, cancelled, foreign } = world
  const knownIds = [open, completed, cancelled, foreign].map(({ batch }) => batch.id)
  const url = (id: string, index: string | number) => `/api/batches/${id}/chunks/${index}`
  const put = (id: string, index: string | number, payload: string, note: string): CoreCase => ({
    method: 'PUT',
    url: url(id, index),
    payload,
    contentType: 'application/json',
    expect: 'refused',
    note,
  })
  const others = world.tokens
  const damaged = (target: typeof open, index: number) => invalidChunkBody(target.chunks[index]!, others)
  const validText = (target: typeof open, index: number) => JSON.stringify(target.chunks[index])
  const putSignatures = (id: string, index: string | number, payload: Buffer, note: string): CoreCase => ({
    ...put(id, index, '', note),
    payload,
    contentType: SIGNATURE_CHUNK_MEDIA_TYPE,
  })
  const signatures = (target: typeof open, index: number) => signaturesOf(target.chunks[index]!)

  return fc.oneof(
    // The open batch: its uncommitted chunks and its committed one, damaged.
    {
      weight: 6,
      arbitrary: fc
        .constantFrom(1, 2)
        .chain((index) =>
          damaged(open, index).map((body) => put(open.batch.id, index, body, `open batch, uncommitted chunk ${index}, damaged body`)),
        ),
    },
    { weight: 4, arbitrary: damaged(open, 0).map((body) => put(open.batch.id, 0, body, 'open batch, committed chunk 0, damaged body')) },
    // Finished batches: their committed chunk damaged, an uncommitted one correct.
    {
      weight: 2,
      arbitrary: fc
        .constantFrom(completed, cancelled)
        .chain((target) => damaged(target, 0).map((body) => put(target.batch.id, 0, body, 'finished batch, committed chunk, damaged'))),
    },
    {
      weight: 1,
      arbitrary: fc.constant(put(cancelled.batch.id, 1, validText(cancelled, 1), 'cancelled batch, correct uncommitted chunk')),
    },
    // Another account's batch, and batches that do not exist, with correct bodies.
    { weight: 1, arbitrary: fc.constant(put(foreign.batch.id, 0, validText(foreign, 0), "another account's batch, correct chunk")) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(unknownBatchId, fc.constantFrom(0, 1, 2))
        .map(([id, index]) => put(id, index, validText(open, index), 'unknown batch, correct body')),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(badBatchId(knownIds), fc.constantFrom(1, 2))
        .map(([id, index]) => put(id, index, validText(open, index), 'malformed batch id, correct body')),
    },
    // Indexes that are not indexes or out of range.
    {
      weight: 2,
      arbitrary: fc
        .tuple(badChunkIndex, damaged(open, 1))
        .map(([index, body]) => put(open.batch.id, index, body, 'malformed index, damaged body')),
    },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 3, max: 19_999 })
        .map((index) => put(open.batch.id, index, validText(open, 1), 'index past the last chunk')),
    },
    // Content encodings.
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(1, 2), fc.constantFrom('gzip', 'br', 'deflate', 'gzip, gzip', 'compress', 'x-unknown'))
        .map(([index, encoding]) => ({
          ...put(open.batch.id, index, '', `correct body, content-encoding ${encoding} but not so encoded`),
          payload: encoding === 'gzip' ? Buffer.from(validText(open, index)) : gzipSync(validText(open, index)),
          headers: { 'content-encoding': encoding },
        })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(1, 2).map((index) => ({
        ...put(open.batch.id, index, validText(open, index) + ' '.repeat(27_100), 'correct body padded past the limit'),
      })),
    },
    // Signature bodies: damaged, sent to the wrong chunk or batch, or where nothing may be added.
    {
      weight: 4,
      arbitrary: fc
        .constantFrom(0, 1, 2)
        .chain((index) =>
          invalidSignatureBody(signatures(open, index)).map((body) =>
            putSignatures(open.batch.id, index, body, `open batch, chunk ${index}, damaged signatures`),
          ),
        ),
    },
    {
      weight: 1,
      arbitrary: fc.constant(putSignatures(open.batch.id, 1, signatures(open, 2), "open batch, chunk 2's signatures as chunk 1")),
    },
    {
      weight: 1,
      arbitrary: fc.constant(
        putSignatures(open.batch.id, 1, signatures(foreign, 0), "another batch's signatures (its chunk 0) as chunk 1"),
      ),
    },
    {
      weight: 1,
      arbitrary: fc.constant(
        putSignatures(cancelled.batch.id, 1, signatures(cancelled, 1), 'cancelled batch, correct uncommitted signatures'),
      ),
    },
    {
      weight: 1,
      arbitrary: fc.constant(putSignatures(foreign.batch.id, 0, signatures(foreign, 0), "another account's batch, correct signatures")),
    },
  )
}

/**
 * Hostile runs (PUT /api/batches/:id/chunks/:first-:last): refused whole (4xx), or answered 200
 * with every chunk of the run refused; either way nothing is stored. A run never mixes a valid
 * uncommitted chunk in, which would rightly be committed.
 */
export function chunkRunUploads(world: FuzzWorld): fc.Arbitrary<CoreCase> {
  const { open, completed, cancelled, foreign } = world
  const knownIds = [open, completed, cancelled, foreign].map(({ batch }) => batch.id)
  const run = (id: string, range: string, payload: Buffer, note: string, contentType = SIGNATURE_CHUNK_MEDIA_TYPE): CoreCase => ({
    method: 'PUT',
    url: `/api/batches/${id}/chunks/${range}`,
    payload,
    contentType,
    expect: 'refused-run',
    note,
  })
  const signatures = (target: typeof open, index: number) => signaturesOf(target.chunks[index]!)
  /** Every signature of the body changed in one bit: every chunk of it is refused. */
  const spoiled = (bytes: Buffer, bit: number) => {
    const out = Buffer.from(bytes)
    for (let at = 0; at < out.length; at += 64) out[at + (bit % 64)]! ^= 1 << (bit % 8)
    return out
  }
  const uncommitted = Buffer.concat([signatures(open, 1), signatures(open, 2)])
  return fc.oneof(
    {
      weight: 3,
      arbitrary: fc
        .nat(511)
        .map((bit) => run(open.batch.id, '1-2', spoiled(uncommitted, bit), 'open batch, chunks 1-2, every signature damaged')),
    },
    {
      weight: 2,
      arbitrary: fc
        .nat(511)
        .map((bit) =>
          run(
            open.batch.id,
            '0-2',
            Buffer.concat([signatures(open, 0), spoiled(uncommitted, bit)]),
            'open batch, committed chunk 0 replayed, chunks 1-2 damaged',
          ),
        ),
    },
    {
      weight: 1,
      arbitrary: fc.constant(
        run(
          open.batch.id,
          '1-2',
          Buffer.concat([signatures(open, 2), signatures(open, 1)]),
          'open batch, chunks 1-2 with each other’s signatures',
        ),
      ),
    },
    {
      weight: 2,
      arbitrary: fc
        .uint8Array({ minLength: 70 * 64, maxLength: 70 * 64 })
        .map((bytes) => run(open.batch.id, '1-2', Buffer.from(bytes), 'open batch, chunks 1-2, random bytes')),
    },
    {
      weight: 2,
      arbitrary: fc
        .integer({ min: 1, max: 140 })
        .filter((n) => n !== 70)
        .map((n) => run(open.batch.id, '1-2', Buffer.alloc(n * 64, 1), `open batch, chunks 1-2, ${n} signatures instead of 70`)),
    },
    {
      weight: 1,
      arbitrary: fc
        .uint8Array({ minLength: 1, maxLength: 200 })
        .filter((bytes) => bytes.length % 64 !== 0)
        .map((bytes) => run(open.batch.id, '1-2', Buffer.from(bytes), 'not whole signatures')),
    },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom('2-1', '0-40', '1-3', '3-5', '1-', '-1-2', '1-2-3', 'a-b', '1.5-2', '0x1-2', '1--2', '99999999-99999999')
        .map((range) => run(open.batch.id, range, uncommitted, `malformed or out-of-range run ${range}`)),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(completed, cancelled)
        .map((target) => run(target.batch.id, '0-0', signatures(target, 0), 'finished batch, its committed chunk as a run')),
    },
    {
      weight: 1,
      arbitrary: fc.constant(
        run(cancelled.batch.id, '1-1', signatures(cancelled, 1), 'cancelled batch, correct uncommitted chunk as a run'),
      ),
    },
    { weight: 1, arbitrary: fc.constant(run(foreign.batch.id, '0-0', signatures(foreign, 0), "another account's batch, correct run")) },
    { weight: 1, arbitrary: unknownBatchId.map((id) => run(id, '1-2', uncommitted, 'unknown batch, correct run')) },
    { weight: 1, arbitrary: badBatchId(knownIds).map((id) => run(id, '1-2', uncommitted, 'malformed batch id')) },
    {
      weight: 1,
      arbitrary: fc.constant(run(open.batch.id, '1-2', Buffer.from(JSON.stringify(open.chunks[1])), 'a JSON body', 'application/json')),
    },
  )
}
