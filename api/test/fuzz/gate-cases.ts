// Hostile requests to the check-in, revocation and export routes. A damaged token is an invalid
// check-in (200 result "invalid") that records nothing; nothing here may revoke a ticket.
import fc from 'fast-check'
import { mutatedToken } from '@boxoffice/tickets/testing'
import type { FuzzBatch, FuzzWorld } from './fuzz-world.ts'
import { brokenJsonText, invalidObject, type Json } from './json-mutations.ts'
import { badBatchId, badChunkIndex, pathSegment, unknownBatchId } from './request-parts.ts'
import type { CoreCase } from './route-cases.ts'

const json = (value: unknown) => JSON.stringify(value)
const tokensOf = (target: FuzzBatch) => target.chunks.flatMap((chunk) => chunk.tickets.map((ticket) => ticket.token))
const randomBody = fc.oneof(fc.jsonValue().map(json), fc.string({ maxLength: 40 }))

/** Tokens that must never be admitted: damaged real ones, and real ones of batches that are not completed. */
function unadmittable(world: FuzzWorld): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...world.tokens).chain(mutatedToken) },
    { weight: 1, arbitrary: fc.constantFrom(...tokensOf(world.open), ...tokensOf(world.cancelled), ...tokensOf(world.foreign)) },
  )
}

const deviceId = fc.stringMatching(/^[A-Za-z0-9._:-]{1,64}$/)
const idempotencyKey = fc.stringMatching(/^[A-Za-z0-9_-]{16,64}$/)
/** Not 16–64 characters of the key alphabet. */
const badKey = fc.constantFrom('', 'short', 'x'.repeat(65), 'has spaces in it here', 'ünïcode-ünïcode-ü', 'dots.are.not.allowed.here', 42)
const time = fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((date) => date.toISOString())
/** Times the schema's pattern admits but no calendar has, and ones it does not admit. */
const badTime = fc.constantFrom(
  '2026-02-30T10:00:00Z',
  '2026-13-01T00:00:00Z',
  '2026-01-01T25:00:00Z',
  '2026-01-01T10:60:00Z',
  '2026-01-01',
  'yesterday',
  '2026-01-01T10:00:00+02:00',
  '',
)

export function checkinCases(world: FuzzWorld): fc.Arbitrary<CoreCase> {
  const post = (payload: string, expect: CoreCase['expect'], note: string): CoreCase => ({
    method: 'POST',
    url: '/api/checkins',
    payload,
    contentType: 'application/json',
    expect,
    note,
  })
  const attempt = fc.record(
    {
      token: unadmittable(world),
      deviceId: fc.option(deviceId, { nil: undefined }),
      checkedInAt: fc.option(time, { nil: undefined }),
      idempotencyKey: fc.option(idempotencyKey, { nil: undefined }),
    },
    { noNullPrototype: true },
  )
  return fc.oneof(
    { weight: 6, arbitrary: attempt.map((body) => post(json(body), 'invalid-checkin', 'a token that may not enter')) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(...tokensOf(world.open)).chain((token) =>
        invalidObject(
          { token, deviceId: 'gate-1', checkedInAt: '2026-05-01T19:00:00.000Z', idempotencyKey: 'k'.repeat(22) },
          {
            token: fc.constant('A'.repeat(4097)),
            deviceId: fc.constantFrom('', 'a b', 'x'.repeat(65), 'é'),
            checkedInAt: badTime,
            idempotencyKey: badKey,
          },
          ['deviceId', 'checkedInAt', 'idempotencyKey'],
        ).map((body) => post(json(body), 'refused', 'an invalid check-in body')),
      ),
    },
    { weight: 1, arbitrary: randomBody.map((text) => post(text, 'invalid-checkin', 'random JSON')) },
    { weight: 1, arbitrary: brokenJsonText(json({ token: 'A' })).map((text) => post(text, 'refused', 'broken JSON')) },
  )
}

export function checkinSyncCases(world: FuzzWorld): fc.Arbitrary<CoreCase> {
  const post = (payload: string, expect: CoreCase['expect'], note: string): CoreCase => ({
    method: 'POST',
    url: '/api/checkins/sync',
    payload,
    contentType: 'application/json',
    expect,
    note,
  })
  const item = fc.record(
    {
      token: unadmittable(world).filter((token) => token.length <= 512),
      checkedInAt: time,
      idempotencyKey: fc.option(idempotencyKey, { nil: undefined }),
    },
    { noNullPrototype: true },
  )
  const body = fc.record({ deviceId, checkins: fc.array(item, { minLength: 1, maxLength: 5 }) }, { noNullPrototype: true })
  const invalidBody = fc.constantFrom(...tokensOf(world.open)).chain((token) =>
    invalidObject(
      { deviceId: 'gate-1', checkins: [{ token, checkedInAt: '2026-05-01T19:00:00.000Z' }] },
      {
        deviceId: fc.constantFrom('', 'a b', 'x'.repeat(65)),
        checkins: fc.oneof(
          fc.constant<Json>([]),
          badTime.map((checkedInAt): Json => [{ token, checkedInAt }]),
          fc.constant<Json>([{ token: 'A'.repeat(513), checkedInAt: '2026-05-01T19:00:00.000Z' }]),
          fc.constant<Json>([{ token }]),
          badKey.map((idempotencyKey): Json => [{ token, checkedInAt: '2026-05-01T19:00:00.000Z', idempotencyKey }]),
        ),
      },
    ),
  )
  return fc.oneof(
    { weight: 6, arbitrary: body.map((value) => post(json(value), 'invalid-checkin', 'tokens that may not enter')) },
    { weight: 3, arbitrary: invalidBody.map((value) => post(json(value), 'refused', 'an invalid sync body')) },
    { weight: 1, arbitrary: randomBody.map((text) => post(text, 'refused', 'random JSON')) },
  )
}

export function checkinKitCases(world: FuzzWorld): fc.Arbitrary<Omit<CoreCase, 'method'>> {
  const eventId = world.completed.batch.type.eventId
  return fc.oneof(
    fc
      .oneof(fc.constant(eventId), unknownBatchId)
      .map((id) => ({ url: `/api/checkin-kit?eventId=${id}`, expect: 'harmless' as const, note: 'a kit' })),
    fc
      .oneof(
        fc.constantFrom(
          '',
          '?eventId=',
          `?eventId=${eventId},`,
          `?eventId=${eventId.toUpperCase()}`,
          `?eventId=${eventId}&x=1`,
          `?batchIds=${world.completed.batch.id}`,
        ),
        badBatchId([eventId]).map((id) => `?eventId=${id}`),
      )
      .map((search) => ({ url: `/api/checkin-kit${search}`, expect: 'refused' as const, note: 'an invalid kit query' })),
  )
}

/** True if the path segment decodes to a plain decimal serial below `quantity`: a real ticket. */
function namesSerialBelow(segment: string, quantity: number): boolean {
  let decoded: string
  try {
    decoded = decodeURIComponent(segment)
  } catch {
    return false
  }
  return /^(0|[1-9]\d*)$/.test(decoded) && Number(decoded) < quantity
}

/** Revocations that must be refused: nothing here names a completed batch of this account with a valid body and serial. */
export function revokeTicketCases(world: FuzzWorld): fc.Arbitrary<CoreCase> {
  const post = (id: string, serial: string | number, payload: string, note: string): CoreCase => ({
    method: 'POST',
    url: `/api/batches/${id}/tickets/${serial}/revoke`,
    payload,
    contentType: 'application/json',
    expect: 'refused',
    note,
  })
  const ids = [world.open, world.completed, world.cancelled, world.foreign].map(({ batch }) => batch.id)
  const completed = world.completed.batch
  return fc.oneof(
    fc
      .tuple(fc.constantFrom(world.open, world.cancelled, world.foreign), fc.nat({ max: 49 }))
      .map(([target, serial]) => post(target.batch.id, serial, '{}', "a batch that is not completed, or not this account's")),
    fc.tuple(fc.oneof(unknownBatchId, badBatchId(ids)), fc.nat({ max: 49 })).map(([id, serial]) => post(id, serial, '{}', 'no such batch')),
    fc
      .integer({ min: completed.body.quantity, max: 999_999 })
      .map((serial) => post(completed.id, serial, '{}', 'a serial past the quantity')),
    badChunkIndex
      .filter((serial) => !namesSerialBelow(serial, completed.body.quantity))
      .map((serial) => post(completed.id, serial, '{}', 'a serial that is not one')),
    // The reason is optional: "{}" is a valid body, so only added, retyped or bad fields.
    invalidObject({ reason: 'lost' }, { reason: fc.constantFrom('', 'x'.repeat(201), '\ud800') }, ['reason']).map((body) =>
      post(completed.id, 3, json(body), 'an invalid body'),
    ),
    brokenJsonText('{"reason":"lost"}')
      .filter((text) => text.length > 0)
      .map((text) => post(completed.id, 3, text, 'broken JSON')),
  )
}

export function revokeBatchCases(world: FuzzWorld): fc.Arbitrary<CoreCase> {
  const post = (id: string, payload: string, note: string): CoreCase => ({
    method: 'POST',
    url: `/api/batches/${id}/revoke`,
    payload,
    contentType: 'application/json',
    expect: 'refused',
    note,
  })
  const ids = [world.open, world.completed, world.cancelled, world.foreign].map(({ batch }) => batch.id)
  return fc.oneof(
    fc
      .constantFrom(world.open, world.cancelled, world.foreign)
      .map((target) => post(target.batch.id, '{}', "a batch that is not completed, or not this account's")),
    fc.oneof(unknownBatchId, badBatchId(ids)).map((id) => post(id, '{}', 'no such batch')),
    invalidObject({ reason: 'lost' }, { reason: fc.constantFrom('', 'x'.repeat(201)) }, ['reason']).map((body) =>
      post(world.completed.batch.id, json(body), 'an invalid body'),
    ),
    brokenJsonText('{}')
      .filter((text) => text.length > 0)
      .map((text) => post(world.completed.batch.id, text, 'broken JSON')),
  )
}

/** Downloads: refused for batches that cannot be exported; the completed batch's (small) files are served. */
export function exportCases(
  world: FuzzWorld,
  file: 'tickets.csv' | 'tickets.pdf' | 'tickets.pdf/parts',
): fc.Arbitrary<Omit<CoreCase, 'method'>> {
  const ids = [world.open, world.completed, world.cancelled, world.foreign].map(({ batch }) => batch.id)
  const completed = world.completed.batch.id
  // The CSV takes no query; the PDF and its parts take these.
  const invalidQuery = fc.constantFrom(
    '?layout=a5',
    '?layout=',
    '?from=-1',
    '?from=1.5',
    '?to=1000000',
    '?x=1',
    '?from=%31%00',
    '?layout=single&layout=a4-8',
  )
  const anyQuery = fc
    .array(
      fc.tuple(
        pathSegment(fc.constantFrom('layout', 'from', 'to', 'x')),
        pathSegment(fc.oneof(fc.string({ maxLength: 6 }), fc.nat(60).map(String))),
      ),
      { maxLength: 2 },
    )
    .map((pairs) => (pairs.length ? `?${pairs.map(([key, value]) => `${key}=${value}`).join('&')}` : ''))
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .oneof(fc.constantFrom(world.open.batch.id, world.cancelled.batch.id, world.foreign.batch.id), unknownBatchId, badBatchId(ids))
        .map((id) => ({ url: `/api/batches/${id}/${file}`, expect: 'refused' as const, note: 'a batch that cannot be exported' })),
    },
    ...(file === 'tickets.csv'
      ? []
      : [
          {
            weight: 2,
            arbitrary: invalidQuery.map((search) => ({
              url: `/api/batches/${completed}/${file}${search}`,
              expect: 'refused' as const,
              note: 'an invalid export query',
            })),
          },
        ]),
    {
      weight: 1,
      arbitrary: anyQuery.map((search) => ({
        url: `/api/batches/${completed}/${file}${search}`,
        expect: 'harmless' as const,
        note: 'an export with any query',
      })),
    },
  )
}
