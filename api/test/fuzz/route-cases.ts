// Hostile requests for every API route, keyed "METHOD /url" as the app declares them. Each case
// says what must happen: refused (4xx), harmless (a read, or a request that changes nothing when
// it succeeds: any status below 500), an invalid-token verdict (200 valid:false, or 4xx), or an
// invalid check-in (200 with every result "invalid", or 4xx).
import { DEFAULT_TEST_TYPE } from '../test-events.ts'
import { CHUNK_RUN_PATH } from '../../src/routes/chunks.ts'
import fc from 'fast-check'
import { exportPublicKey, generateBatchKeyPair } from '@boxoffice/tickets'
import { base32Text, mutatedToken, SMALL_ORDER_KEYS } from '@boxoffice/tickets/testing'
import { chunkRunUploads, chunkUploads } from './chunk-cases.ts'
import { checkinCases, checkinKitCases, checkinSyncCases, exportCases, revokeBatchCases, revokeTicketCases } from './gate-cases.ts'
import type { FuzzWorld } from './fuzz-world.ts'
import { awkwardNumber, brokenJsonText, invalidObject, type JsonObject } from './json-mutations.ts'
import { badBatchId, foreignContentType, pathSegment, unknownBatchId, type Method } from './request-parts.ts'

export type Expectation = 'refused' | 'harmless' | 'invalid-verdict' | 'invalid-checkin' | 'refused-run'

export interface CoreCase {
  method: Method
  url: string
  payload?: string | Buffer
  /** Sent as Content-Type when there is a payload. */
  contentType?: string
  headers?: Record<string, string>
  expect: Expectation
  note: string
  /** Never send the run's session cookie (signing out would end it). */
  withoutSession?: boolean
}

const json = (value: unknown) => JSON.stringify(value)

/** Bodies no route of this API accepts as anything but "no body" or a failed sign-in. */
const randomBody = fc.oneof(fc.jsonValue().map(json), fc.string({ maxLength: 40 }))

function createBatchCases(world: FuzzWorld, publicKey: string): fc.Arbitrary<CoreCase> {
  const post = (payload: string, note: string): CoreCase => ({
    method: 'POST',
    url: '/api/batches',
    payload,
    contentType: 'application/json',
    expect: 'refused',
    note,
  })
  const newBody = unknownBatchId.map((id) => ({ id, ticketTypeId: DEFAULT_TEST_TYPE.ticketTypeId, quantity: 100, publicKey }))
  const blank = fc.constantFrom('', ' ', '\t\n', '\u00a0', '\u2028', '   \u3000')
  const loneSurrogate = fc.constantFrom('\ud800', 'Gala \udfff', '\udc00\ud800')
  const badKey = fc.oneof(
    fc.constantFrom(publicKey.slice(1), publicKey + 'A', publicKey.replace(/./, '+'), publicKey.replace(/.$/, '='), `${publicKey}=`, ''),
    // Not on the curve (0x02 repeated), and a non-canonical spelling of a real key (a padding bit set).
    fc.constant(Buffer.alloc(32, 2).toString('base64url')),
    // Points of small order, in every encoding: one signature would verify for many tickets.
    fc.constantFrom(...SMALL_ORDER_KEYS.map(({ publicKey }) => publicKey)),
    fc
      .constant(
        publicKey.slice(0, -1) +
          'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[
            'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.indexOf(publicKey.at(-1)!) | 1
          ]!,
      )
      .filter((key) => key !== publicKey),
  )
  const invalidNew = newBody.chain((body) =>
    invalidObject(body as unknown as JsonObject, {
      id: fc.constantFrom(body.id.toUpperCase(), body.id.replaceAll('-', ''), `{${body.id}}`, body.id.slice(1), ''),
      // A type that does not exist (404), or no id at all.
      ticketTypeId: fc.oneof(blank, loneSurrogate, unknownBatchId, fc.constant(DEFAULT_TEST_TYPE.ticketTypeId.toUpperCase())),
      quantity: fc.oneof(awkwardNumber, fc.constantFrom(0, 1_000_001, '100')),
      publicKey: badKey,
    }).map((value) => post(json(value), 'a new batch, made invalid')),
  )
  const own = [world.open, world.completed, world.cancelled]
  const conflicting = fc.tuple(fc.constantFrom(...own), fc.constantFrom('ticketTypeId', 'quantity')).map(([target, field]) => {
    const changed: Record<string, unknown> = { ...target.batch.body }
    if (field === 'quantity') changed.quantity = target.batch.body.quantity + 1
    else changed.ticketTypeId = crypto.randomUUID()
    return post(json(changed), `an existing id with a different ${field}`)
  })
  return fc.oneof(
    { weight: 8, arbitrary: invalidNew },
    { weight: 2, arbitrary: conflicting },
    { weight: 1, arbitrary: fc.constant(post(json(world.foreign.batch.body), "another account's batch, replayed by this one")) },
    { weight: 2, arbitrary: newBody.chain((body) => brokenJsonText(json(body))).map((text) => post(text, 'a new batch, broken JSON')) },
    { weight: 2, arbitrary: randomBody.map((text) => post(text, 'random JSON')) },
  )
}

function tokenCheckCases(world: FuzzWorld): fc.Arbitrary<CoreCase> {
  const post = (payload: string, expect: Expectation, note: string): CoreCase => ({
    method: 'POST',
    url: '/api/tokens/verify',
    payload,
    contentType: 'application/json',
    expect,
    note,
  })
  const realToken = fc.constantFrom(...world.tokens)
  const batchIds = [world.open, world.completed, world.cancelled, world.foreign].map(({ batch }) => batch.id)
  const tokenOf = (batch: FuzzWorld['open']) => batch.chunks.flatMap((chunk) => chunk.tickets.map((ticket) => ticket.token))
  const wrongBatch = fc
    .tuple(fc.constantFrom(world.open, world.completed), fc.constantFrom(world.cancelled, world.foreign))
    .chain(([holder, other]) => fc.constantFrom(...tokenOf(holder)).map((token) => ({ token, batchId: other.batch.id })))
  return fc.oneof(
    {
      weight: 8,
      arbitrary: fc
        .tuple(realToken.chain(mutatedToken), fc.option(fc.constantFrom(...batchIds), { nil: undefined }))
        .map(([token, batchId]) => post(json({ token, batchId }), 'invalid-verdict', 'a damaged real token')),
    },
    { weight: 2, arbitrary: wrongBatch.map((body) => post(json(body), 'invalid-verdict', 'a real token, checked against another batch')) },
    {
      weight: 2,
      arbitrary: fc
        .oneof(base32Text(400), fc.string({ maxLength: 200 }))
        .map((token) => post(json({ token }), 'invalid-verdict', 'random text as a token')),
    },
    {
      weight: 3,
      arbitrary: realToken.chain((token) =>
        invalidObject(
          { token, batchId: world.open.batch.id },
          { token: fc.constantFrom('A'.repeat(4097), '\ud800'), batchId: fc.constantFrom('', 'x', world.open.batch.id.toUpperCase()) },
          ['batchId'],
        ).map((body) => post(json(body), 'refused', 'a real token in an invalid body')),
      ),
    },
    { weight: 1, arbitrary: randomBody.map((text) => post(text, 'invalid-verdict', 'random JSON')) },
    {
      weight: 1,
      arbitrary: realToken.chain((token) => brokenJsonText(json({ token }))).map((text) => post(text, 'refused', 'broken JSON')),
    },
  )
}

function finishCases(world: FuzzWorld, action: 'complete' | 'cancel'): fc.Arbitrary<CoreCase> {
  const knownIds = [world.open, world.completed, world.cancelled, world.foreign].map(({ batch }) => batch.id)
  // Every id here is refused: none is an open batch of this account that could be finished now.
  const refusedIds =
    action === 'complete'
      ? [world.open.batch.id, world.cancelled.batch.id, world.foreign.batch.id]
      : [world.completed.batch.id, world.foreign.batch.id]
  const id = fc.oneof(fc.constantFrom(...refusedIds), unknownBatchId, badBatchId(knownIds))
  const body = fc.option(fc.oneof(randomBody, fc.constant('')), { nil: undefined })
  return fc.tuple(id, body).map(([batchId, payload]) => ({
    method: 'POST',
    url: `/api/batches/${batchId}/${action}`,
    payload,
    contentType: 'application/json',
    expect: 'refused',
    note: `${action} a batch that cannot be`,
  }))
}

function batchReadCases(world: FuzzWorld): fc.Arbitrary<Omit<CoreCase, 'method'>> {
  const knownIds = [world.open, world.completed, world.cancelled, world.foreign].map(({ batch }) => batch.id)
  return fc.oneof(
    fc
      .oneof(unknownBatchId, badBatchId(knownIds), fc.constant(world.foreign.batch.id))
      .map((id) => ({ url: `/api/batches/${id}`, expect: 'refused' as const, note: 'a batch this account cannot see' })),
    fc
      .constantFrom(world.open, world.completed, world.cancelled)
      .map((target) => ({ url: `/api/batches/${target.batch.id}`, expect: 'harmless' as const, note: 'an own batch' })),
  )
}

const queryValue = fc.oneof(
  fc.string({ maxLength: 12 }),
  awkwardNumber.map(String),
  fc.constantFrom('open', 'OPEN', 'completed', '0', '1', '500', '501', '', '[]', '__proto__'),
)
const queryKey = fc.oneof(
  fc.constantFrom('state', 'limit', 'state[]', 'limit[]', '__proto__', 'constructor', 'x'),
  fc.string({ maxLength: 8 }),
)
const query = fc
  .array(fc.tuple(pathSegment(queryKey), pathSegment(queryValue)), { maxLength: 3 })
  .map((pairs) => (pairs.length ? `?${pairs.map(([key, value]) => `${key}=${value}`).join('&')}` : ''))

function listCases(): fc.Arbitrary<Omit<CoreCase, 'method'>> {
  const invalidQuery = fc.oneof(
    fc.constantFrom(
      '?state=OPEN',
      '?state=',
      '?state=closed',
      '?limit=0',
      '?limit=501',
      '?limit=1.5',
      '?limit=-1',
      '?limit=1e2',
      '?limit=',
      '?limit=1&limit=2',
      '?x=1',
      '?__proto__=1',
      '?state[]=open',
    ),
    fc.integer({ min: 501 }).map((limit) => `?limit=${limit}`),
  )
  return fc.oneof(
    invalidQuery.map((search) => ({ url: `/api/batches${search}`, expect: 'refused' as const, note: 'an invalid list query' })),
    query.map((search) => ({ url: `/api/batches${search}`, expect: 'harmless' as const, note: 'any list query' })),
  )
}

function checkinBatchListCases(): fc.Arbitrary<Omit<CoreCase, 'method'>> {
  const url = (search: string) => `/api/checkin-kit/batches${search}`
  return fc.oneof(
    fc
      .constantFrom('', '?limit=1', '?limit=500')
      .map((search) => ({ url: url(search), expect: 'harmless' as const, note: 'the batches a kit can hold' })),
    fc
      .oneof(
        fc.constantFrom(
          '?limit=0',
          '?limit=501',
          '?limit=1.5',
          '?limit=-1',
          '?limit=',
          '?limit=1&limit=2',
          '?state=completed',
          '?x=1',
          '?__proto__=1',
        ),
        fc.integer({ min: 501 }).map((limit) => `?limit=${limit}`),
      )
      .map((search) => ({ url: url(search), expect: 'refused' as const, note: 'an invalid list query' })),
  )
}

function signInCases(): fc.Arbitrary<CoreCase> {
  const post = (payload: string, note: string): CoreCase => ({
    method: 'POST',
    url: '/api/session',
    payload,
    contentType: 'application/json',
    expect: 'refused',
    note,
  })
  const wrongPassword = fc.record({
    username: fc.oneof(fc.constantFrom('staff', 'STAFF', 'other', 'admin'), fc.string({ minLength: 1, maxLength: 64 })),
    password: fc.string({ minLength: 1, maxLength: 60 }),
  })
  return fc.oneof(
    wrongPassword.map((body) => post(json(body), 'a wrong password')),
    wrongPassword
      .chain((body) =>
        invalidObject(body as JsonObject, {
          username: fc.constantFrom('', 'x'.repeat(65), 'a\ud800'),
          password: fc.constantFrom('', 'x'.repeat(1025)),
        }),
      )
      .map((body) => post(json(body), 'an invalid sign-in body')),
    randomBody.map((text) => post(text, 'random JSON')),
  )
}

/**
 * Cases for a route this file does not know yet: only requests refused whatever the route means
 * (a path parameter with broken percent-encoding, a body in a content type the API does not read),
 * and for a read, any query. The property test adds wrong methods and missing credentials.
 */
export function genericCases(route: string): fc.Arbitrary<CoreCase> {
  const [method, path] = route.split(' ') as [Method, string]
  const names = [...path.matchAll(/:(\w+)/g)].map((match) => match[1]!)
  const sample = (broken?: { name: string; value: string }) =>
    path.replace(/:(\w+)/g, (_, name: string) => (broken?.name === name ? broken.value : name === 'id' ? crypto.randomUUID() : '0'))
  const cases: fc.Arbitrary<CoreCase>[] = []
  if (names.length > 0) {
    const broken = fc.record({ name: fc.constantFrom(...names), value: fc.constantFrom('%zz', '%E0%A4%A', '%ED%A0%80', '%', '%C0%AF') })
    cases.push(
      broken.map((param) => ({
        method,
        url: sample(param),
        expect: 'refused' as const,
        note: `${param.name} with broken percent-encoding`,
      })),
    )
  }
  if (method === 'GET' || method === 'HEAD') {
    cases.push(query.map((search) => ({ method, url: sample() + search, expect: 'harmless' as const, note: 'a read with any query' })))
  } else {
    cases.push(
      fc
        .tuple(
          randomBody.filter((text) => text.length > 0),
          foreignContentType,
        )
        .map(([payload, contentType]) => ({
          method,
          url: sample(),
          payload,
          contentType,
          expect: 'refused' as const,
          note: `a body as ${contentType}`,
        })),
    )
  }
  return fc.oneof(...cases)
}

/** Every route's cases. The property test covers routes missing here with genericCases only, and says so. */
export async function routeCases(world: FuzzWorld): Promise<Record<string, fc.Arbitrary<CoreCase>>> {
  const publicKey = await exportPublicKey((await generateBatchKeyPair()).publicKey)
  const read = (method: 'GET' | 'HEAD', cases: fc.Arbitrary<Omit<CoreCase, 'method'>>) => cases.map((core) => ({ ...core, method }))
  const health = query.map((search) => ({ url: `/api/health${search}`, expect: 'harmless' as const, note: 'health with any query' }))
  const whoAmI = query.map((search) => ({ url: `/api/session${search}`, expect: 'harmless' as const, note: 'who am I, any query' }))
  const signOut: fc.Arbitrary<CoreCase> = fc.oneof(
    fc.option(randomBody, { nil: undefined }).map((payload) => ({
      method: 'DELETE' as const,
      url: '/api/session',
      payload,
      contentType: 'application/json',
      // Succeeds (204) unless the body is not JSON; without the run's cookie it ends no session.
      expect: 'harmless' as const,
      note: 'sign out, another cookie or none',
      withoutSession: true,
    })),
    // Not empty: an empty body is no body, which signing out accepts.
    brokenJsonText('{"a":1}')
      .filter((text) => text.length > 0)
      .map((payload) => ({
        method: 'DELETE' as const,
        url: '/api/session',
        payload,
        contentType: 'application/json',
        expect: 'refused' as const,
        note: 'sign out with broken JSON',
        withoutSession: true,
      })),
  )
  // Never with the run's session, which it would end: with another cookie or none, always 401.
  const signOutEverywhere: fc.Arbitrary<CoreCase> = fc
    .tuple(fc.option(fc.oneof(randomBody, brokenJsonText('{"a":1}')), { nil: undefined }), query)
    .map(([payload, search]) => ({
      method: 'DELETE' as const,
      url: `/api/sessions${search}`,
      payload,
      contentType: 'application/json',
      expect: 'refused' as const,
      note: 'sign out everywhere, without a live session',
      withoutSession: true,
    }))
  return {
    'GET /api/health': read('GET', health),
    'HEAD /api/health': read('HEAD', health),
    'POST /api/session': signInCases(),
    'GET /api/session': read('GET', whoAmI),
    'HEAD /api/session': read('HEAD', whoAmI),
    'DELETE /api/session': signOut,
    'DELETE /api/sessions': signOutEverywhere,
    'POST /api/batches': createBatchCases(world, publicKey),
    'GET /api/batches': read('GET', listCases()),
    'HEAD /api/batches': read('HEAD', listCases()),
    'GET /api/batches/:id': read('GET', batchReadCases(world)),
    'HEAD /api/batches/:id': read('HEAD', batchReadCases(world)),
    'POST /api/batches/:id/complete': finishCases(world, 'complete'),
    'POST /api/batches/:id/cancel': finishCases(world, 'cancel'),
    'PUT /api/batches/:id/chunks/:index': chunkUploads(world),
    [`PUT /api${CHUNK_RUN_PATH}`]: chunkRunUploads(world),
    'POST /api/tokens/verify': tokenCheckCases(world),
    'GET /api/batches/:id/tickets.csv': read('GET', exportCases(world, 'tickets.csv')),
    'HEAD /api/batches/:id/tickets.csv': read('HEAD', exportCases(world, 'tickets.csv')),
    'GET /api/batches/:id/tickets.pdf': read('GET', exportCases(world, 'tickets.pdf')),
    'HEAD /api/batches/:id/tickets.pdf': read('HEAD', exportCases(world, 'tickets.pdf')),
    'GET /api/batches/:id/tickets.pdf/parts': read('GET', exportCases(world, 'tickets.pdf/parts')),
    'HEAD /api/batches/:id/tickets.pdf/parts': read('HEAD', exportCases(world, 'tickets.pdf/parts')),
    'POST /api/checkins': checkinCases(world),
    'POST /api/checkins/sync': checkinSyncCases(world),
    'GET /api/checkin-kit/batches': read('GET', checkinBatchListCases()),
    'HEAD /api/checkin-kit/batches': read('HEAD', checkinBatchListCases()),
    'GET /api/checkin-kit': read('GET', checkinKitCases(world)),
    'HEAD /api/checkin-kit': read('HEAD', checkinKitCases(world)),
    'POST /api/batches/:id/tickets/:serial/revoke': revokeTicketCases(world),
    'POST /api/batches/:id/revoke': revokeBatchCases(world),
  }
}
