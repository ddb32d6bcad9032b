// Pieces of hostile requests shared by every route: path parameters that are not what the route
// wants, and what a request carries to prove who sent it.
import fc from 'fast-check'

/**
 * "." and ".." (also spelled "%2e"): inject resolves them as a browser does, so such a parameter
 * would address another route (".../tickets/../revoke" is ".../revoke"), which is not what the
 * case means. A server behind a real socket sees them as plain parameter text.
 */
function isDotSegment(segment: string): boolean {
  return /^(\.|%2e){1,2}$/i.test(segment)
}

/** A string as it goes into a URL path: percent-encoded, or raw when it is printable ASCII without "/". */
export function pathSegment(text: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc
    .tuple(text, fc.boolean())
    .map(([value, raw]) => (raw && /^[\x21-\x2e\x30-\x7e]*$/.test(value) ? value : encodeURIComponent(value)))
    .filter((segment) => !isDotSegment(segment))
}

const ODD_SEGMENTS = [
  '',
  '..%2F',
  '.%2F',
  '%2F',
  '%00',
  '%',
  '%zz',
  '%E0%A4%A',
  '%ED%A0%80',
  '%C0%AF',
  '%FF',
  'null',
  'undefined',
  '__proto__',
  'constructor',
  '-1',
  '0',
  '1e21',
  'NaN',
  'Infinity',
  '%20',
  '+',
  '~',
  '*',
  ';',
  ',',
]

/** Anything but a batch id: never decodes to a lower-case UUID. */
export function badBatchId(knownIds: readonly string[]): fc.Arbitrary<string> {
  const mutatedKnown = fc
    .tuple(fc.constantFrom(...knownIds), fc.nat(35), fc.constantFrom('A', 'F', 'g', 'z', '-', '_', ' ', '!', '~', 'é', '0a'))
    .map(([id, at, char]) => id.slice(0, at) + char + id.slice(at + 1))
  const wrapped = fc
    .tuple(fc.constantFrom(...knownIds), fc.constantFrom('{}', '  ', '%20', '/', '%2F', '..', '\u0000', '0', 'ä'))
    .map(([id, wrap]) => wrap.slice(0, 1) + id + wrap.slice(1))
  return fc.oneof(
    pathSegment(mutatedKnown.filter((id) => !knownIds.includes(id))),
    pathSegment(wrapped),
    fc.constantFrom(...knownIds).map((id) => id.toUpperCase()),
    fc.constantFrom(...knownIds).map((id) => id.replaceAll('-', '')),
    fc.constantFrom(...ODD_SEGMENTS),
    pathSegment(fc.string({ unit: 'binary', maxLength: 60 })),
  )
}

/** A well-formed batch id that names no batch. */
export const unknownBatchId = fc.uuid({ version: 4 })

/** Anything but a chunk index within 0 … 19,999 written as a plain decimal integer ("%31" is "1", so it may name a real chunk). */
export const badChunkIndex: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    ...ODD_SEGMENTS,
    '%31',
    '%30',
    '01',
    '+1',
    ' 1',
    '1 ',
    '1.0',
    '1.5',
    '0x1',
    '1_0',
    '١',
    '１',
    '20000',
    '99999999999999999999',
    '-0',
    '1e3',
  ),
  fc.integer({ min: 20_000 }).map(String),
  fc.integer({ max: -1 }).map(String),
  fc.double({ noNaN: true }).map(String),
  pathSegment(fc.string({ maxLength: 20 })),
)

export type Credentials = 'session' | 'no-cookie' | 'stale-cookie' | 'garbage-cookie' | 'no-csrf-header' | 'foreign-origin'

/** Mostly a signed-in browser; sometimes a request that must be refused for who sent it. */
export const credentials: fc.Arbitrary<Credentials> = fc.oneof(
  { weight: 10, arbitrary: fc.constant('session' as const) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'no-cookie' as const,
      'stale-cookie' as const,
      'garbage-cookie' as const,
      'no-csrf-header' as const,
      'foreign-origin' as const,
    ),
  },
)

export const ALL_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const
export type Method = (typeof ALL_METHODS)[number]
export const STATE_CHANGING: readonly Method[] = ['POST', 'PUT', 'PATCH', 'DELETE']

/** Content types this API does not read (it reads only application/json). */
export const foreignContentType = fc.oneof(
  fc.constantFrom(
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/xml',
    'text/json',
    'application/jsonp',
    'application/json-patch+json',
    'application/octet-stream',
    '*/*',
    'json',
    'application',
    'application/',
  ),
  fc.stringMatching(/^[a-z]{1,8}\/[a-z0-9.+-]{1,12}$/).filter((type) => type !== 'application/json'),
)
