// Property: hostile requests to every API route (random and damaged bodies, path parameters that
// are not ids, wrong methods and content types, missing or forged credentials) are answered 4xx
// with a documented error code, never 5xx, never 2xx where the request is invalid, and change
// nothing: after every single request the database's change marker (SQLite's data_version; on
// PostgreSQL row counts and the newest row versions) shows no commit at all (a failed sign-in may
// count its attempt, and nothing else), and after the run every table's row count and a SHA-256
// of every ticket-related row are as before.
// Reproduce a failure with the seed and path fast-check prints: { seed, path } in the options.
import { CHUNK_RUN_PATH } from '../src/routes/chunks.ts'
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '@boxoffice/tickets'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import fc from 'fast-check'
import { SESSION_COOKIE } from '../src/auth/sessions.ts'
import { apiRoutesOf } from './api-routes.ts'
import type { DatabaseFingerprint } from '../src/db/database-inspection.ts'
import { inspect } from './helper.ts'
import { buildFuzzWorld } from './fuzz/fuzz-world.ts'
import { ALL_METHODS, credentials, foreignContentType, STATE_CHANGING, type Credentials, type Method } from './fuzz/request-parts.ts'
import { genericCases, routeCases, type CoreCase, type Expectation } from './fuzz/route-cases.ts'

/** Cases per route; about 15,000 requests in all. */
const RUNS: Record<string, number> = {
  'PUT /api/batches/:id/chunks/:index': 3500,
  [`PUT /api${CHUNK_RUN_PATH}`]: 800,
  'POST /api/batches': 2000,
  'POST /api/tokens/verify': 1500,
  'POST /api/batches/:id/complete': 500,
  'POST /api/batches/:id/cancel': 500,
  'POST /api/session': 500,
  'GET /api/batches': 400,
  'GET /api/batches/:id': 400,
  'POST /api/checkins': 800,
  'POST /api/checkins/sync': 500,
  'POST /api/batches/:id/tickets/:serial/revoke': 400,
  'POST /api/batches/:id/revoke': 300,
}
const DEFAULT_RUNS = 200

/**
 * The writes a refused request is meant to make, and the record a harmless one leaves: a failed
 * sign-in is counted (before its password is checked), so that no number of parallel guesses
 * outruns the limit; sign-ins, exports and syncs go into the audit log.
 */
const RECORD_TABLES = ['login_attempts', 'audit_log']
const RECORDED_ROUTES = new Set([
  'POST /api/session',
  'GET /api/batches/:id/tickets.csv',
  'GET /api/batches/:id/tickets.pdf',
  'POST /api/checkins/sync',
])
const leavesRecords = (route: string) => RECORDED_ROUTES.has(route)

/** The fingerprint without the tables of records. */
function apartFromRecords({ rowCounts, digest }: DatabaseFingerprint): DatabaseFingerprint {
  const others = Object.fromEntries(Object.entries(rowCounts).filter(([table]) => !RECORD_TABLES.includes(table)))
  return { rowCounts: others, digest }
}

const OPEN_ROUTES = new Set(['GET /api/health', 'HEAD /api/health', 'POST /api/session', 'DELETE /api/session'])
const TOKEN_REASONS = new Set(['BAD_ENCODING', 'UNKNOWN_VERSION', 'WRONG_BATCH', 'UNKNOWN_BATCH', 'BAD_SIGNATURE', 'NOT_ISSUED'])
const DOCUMENTED_CODES = new Set(
  [...readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8').matchAll(/^\| [45]\d\d \| `([A-Z_]+)` \|/gm)].map(
    (match) => match[1],
  ),
)

const cookieText = fc.stringMatching(/^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]{0,60}$/)
const staleSessionToken = fc.stringMatching(/^[A-Za-z0-9_-]{43}$/)

interface FuzzRequest extends CoreCase {
  credentials: Credentials
  cookie: string | undefined
}

/** A route's own cases, some sent with a method its path does not have or a content type it does not read, under any credentials. */
function requests(
  route: string,
  cases: fc.Arbitrary<CoreCase>,
  methodsOfPath: ReadonlySet<string>,
  sessionToken: string,
): fc.Arbitrary<FuzzRequest> {
  const wrongMethods = ALL_METHODS.filter((method) => !methodsOfPath.has(method))
  const withWrongMethod = fc
    .tuple(cases, fc.constantFrom(...wrongMethods))
    .map(([core, method]) => ({ ...core, method, expect: 'refused' as const, note: `${core.note}, with method ${method}` }))
  // Any body at all, sent in a content type this API does not read, on a route that takes one.
  const inForeignContentType = fc.tuple(cases, foreignContentType).map(([core, contentType]) => ({
    ...core,
    payload: typeof core.payload === 'string' && core.payload.length > 0 ? core.payload : '{}',
    contentType,
    expect: 'refused' as const,
    note: `${core.note}, as ${contentType}`,
  }))
  const takesBody = STATE_CHANGING.includes(route.split(' ')[0] as Method)
  const variant = fc.oneof(
    { weight: 12, arbitrary: cases },
    { weight: 1, arbitrary: withWrongMethod },
    ...(takesBody ? [{ weight: 1, arbitrary: inForeignContentType }] : []),
  )
  return fc.tuple(variant, credentials, fc.oneof(staleSessionToken, cookieText)).map(([core, who, otherCookie]) => {
    const cookie =
      who === 'session' || who === 'no-csrf-header' || who === 'foreign-origin'
        ? core.withoutSession
          ? otherCookie
          : sessionToken
        : who === 'stale-cookie' || who === 'garbage-cookie'
          ? otherCookie
          : undefined
    let expect: Expectation = core.expect
    if (!OPEN_ROUTES.has(route) && ['no-cookie', 'stale-cookie', 'garbage-cookie'].includes(who)) expect = 'refused'
    if (STATE_CHANGING.includes(core.method) && (who === 'no-csrf-header' || who === 'foreign-origin')) expect = 'refused'
    return { ...core, expect, credentials: who, cookie, [fc.toStringMethod]: describe }
  })
}

/** How fast-check prints a counterexample: the request, with its body cut short. */
function describe(this: FuzzRequest): string {
  const payload =
    typeof this.payload === 'string' ? JSON.stringify(this.payload.slice(0, 400)) : this.payload ? `<${this.payload.length} bytes>` : 'none'
  return `${this.method} ${this.url} (${this.note}; credentials ${this.credentials}; content-type ${this.contentType}; body ${payload})`
}

function headersOf(request: FuzzRequest): Record<string, string> {
  const headers: Record<string, string> = { ...request.headers }
  if (request.payload !== undefined && request.contentType !== undefined) headers['content-type'] = request.contentType
  if (request.credentials !== 'no-csrf-header') headers[CSRF_HEADER] = CSRF_HEADER_VALUE
  if (request.credentials === 'foreign-origin') headers.origin = 'https://tickets.example.org'
  if (request.cookie !== undefined) headers.cookie = `${SESSION_COOKIE}=${request.cookie}`
  return headers
}

test('hostile requests to every route are refused with a documented 4xx, never 5xx, and change nothing', async (t) => {
  const started = performance.now()
  const { routes } = await apiRoutesOf(t)
  const { app, sessionToken, database, world } = await buildFuzzWorld(t)
  const casesByRoute = await routeCases(world)
  const onlyGeneric = routes.filter((route) => !(route in casesByRoute))
  if (onlyGeneric.length > 0) t.diagnostic(`routes with generic cases only (add theirs to fuzz/route-cases.ts): ${onlyGeneric.join(', ')}`)

  const methodsByPath = new Map<string, Set<string>>()
  for (const route of routes) {
    const [method, path] = route.split(' ') as [string, string]
    methodsByPath.set(path, (methodsByPath.get(path) ?? new Set()).add(method))
  }
  const db = await inspect(t, database)
  const before = apartFromRecords(await db.fingerprint())
  let requestCount = 0
  const statuses = new Map<number, number>()

  for (const route of routes) {
    const path = route.split(' ')[1]!
    const arbitrary = requests(route, casesByRoute[route] ?? genericCases(route), methodsByPath.get(path)!, sessionToken)
    const except = leavesRecords(route) ? RECORD_TABLES : []
    await t.test(route, async () => {
      // The marker read after one request is the one before the next (nothing else writes
      // meanwhile), unless that request failed part way: then it is read again.
      let lastMarker: string | undefined
      await fc.assert(
        fc.asyncProperty(arbitrary, async (request) => {
          const version = lastMarker ?? (await db.changeMarker(except))
          lastMarker = undefined
          const response = await app.inject({
            method: request.method,
            url: request.url,
            headers: headersOf(request),
            payload: request.payload,
          })
          requestCount++
          statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1)
          const status = response.statusCode
          const said = `${request.method} ${request.url.slice(0, 120)} (${request.note}; ${request.credentials}) answered ${status} ${response.body.slice(0, 300)}`
          assert.ok(status < 500, said)
          if (request.expect === 'refused') assert.ok(status >= 400, said)
          if (request.expect === 'invalid-verdict' && status < 400) {
            assert.equal(status, 200, said)
            assert.equal(response.json().valid, false, said)
            assert.ok(TOKEN_REASONS.has(response.json().reason), said)
          }
          if (request.expect === 'refused-run' && status < 400) {
            // Answered per chunk: every chunk of a hostile run is refused (a replay of a committed one is harmless).
            assert.equal(status, 200, said)
            const results: { status: number; ack?: { duplicate: boolean } }[] = response.json().results
            assert.ok(
              results.every((result) => result.status >= 400 || result.ack?.duplicate === true),
              said,
            )
            for (const result of results) if (result.status >= 400) assert.ok(result.status < 500, said)
          }
          if (request.expect === 'invalid-checkin' && status < 400) {
            const body = response.json()
            const results: { result: string }[] = body.results ?? [body]
            assert.ok(
              results.every(({ result }) => result === 'invalid'),
              said,
            )
          }
          if (status >= 400 && request.method !== 'HEAD') {
            const code = response.json()?.error?.code
            assert.ok(DOCUMENTED_CODES.has(code), `undocumented code ${code}: ${said}`)
          }
          lastMarker = await db.changeMarker(except)
          assert.deepEqual(lastMarker, version, `the database changed: ${said}`)
        }),
        { numRuns: RUNS[route.replace(/^HEAD /, 'GET ')] ?? DEFAULT_RUNS, includeErrorInReport: true },
      )
    })
  }

  assert.deepEqual(apartFromRecords(await db.fingerprint()), before)
  assert.ok(requestCount >= 10_000, `${requestCount} requests`)
  t.diagnostic(
    `${requestCount} requests in ${Math.round(performance.now() - started)} ms; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`,
  )
})
