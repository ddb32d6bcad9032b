// Generic ways to make a JSON request body invalid, for the route properties. Each arbitrary here
// yields only values that no schema with these required fields and additionalProperties:false
// accepts: a field dropped, a field added, a field of the wrong JSON type, or a bad value the
// caller names for a field.
import fc from 'fast-check'

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
export type JsonObject = { [key: string]: Json }

function jsonType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  return typeof value
}

const finiteDouble = fc.double({ noNaN: true, noDefaultInfinity: true })

/** Any JSON value whose JSON type differs from `value`'s. */
export function otherJsonType(value: unknown): fc.Arbitrary<Json> {
  const candidates: fc.Arbitrary<Json>[] = [
    fc.constant(null),
    fc.boolean(),
    fc.oneof(fc.integer(), finiteDouble),
    fc.string({ maxLength: 20 }),
    fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }) as fc.Arbitrary<Json>,
    fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3, noNullPrototype: true }) as fc.Arbitrary<Json>,
  ]
  return fc.oneof(...candidates).filter((candidate) => jsonType(candidate) !== jsonType(value))
}

/** Property names a parser or a validator might treat specially. */
export const awkwardKey = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty',
    'valueOf',
    '',
    ' ',
    '\u0000',
    'é',
    '🎟',
    'tickets',
    'token',
    'serial',
    'id',
  ),
)

/** Integers and not-quite-integers that overflow or break integer fields. */
export const awkwardNumber = fc.constantFrom(
  -1,
  -0.5,
  0.5,
  1.5,
  1e21,
  -1e21,
  1e300,
  2 ** 32,
  2 ** 32 - 1,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 53),
  Number.MAX_VALUE,
  Number.MIN_VALUE,
)

/** Copies `object` with `key` set as an own enumerable property, "__proto__" included (as JSON.parse would). */
export function withProperty(object: JsonObject, key: string, value: Json): JsonObject {
  const copy = { ...object }
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true })
  return copy
}

function without(object: JsonObject, key: string): JsonObject {
  const copy = { ...object }
  delete copy[key]
  return copy
}

/**
 * `object` made invalid once: a required field dropped (any but `optional`), an unknown one
 * added, a field retyped, or a field given one of `badValues[field]`.
 */
export function invalidObject(
  object: JsonObject,
  badValues: Partial<Record<string, fc.Arbitrary<Json>>> = {},
  optional: readonly string[] = [],
): fc.Arbitrary<JsonObject> {
  const keys = Object.keys(object)
  const required = keys.filter((key) => !optional.includes(key))
  const mutations: fc.Arbitrary<JsonObject>[] = [
    ...(required.length > 0 ? [fc.constantFrom(...required).map((key) => without(object, key))] : []),
    fc
      .tuple(
        awkwardKey.filter((key) => !Object.hasOwn(object, key)),
        fc.jsonValue({ maxDepth: 2 }),
      )
      .map(([key, value]) => withProperty(object, key, value as Json)),
    fc.constantFrom(...keys).chain((key) => otherJsonType(object[key]).map((value) => withProperty(object, key, value))),
  ]
  for (const [key, bad] of Object.entries(badValues)) {
    if (bad) mutations.push(bad.map((value) => withProperty(object, key, value)))
  }
  return fc.oneof(...mutations)
}

/**
 * JSON text cut short, or with bytes before or after it, as a broken upload would arrive: never
 * JSON at all. (An edit inside the text could still be JSON, and even a valid body.)
 */
export function brokenJsonText(text: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.nat({ max: text.length - 1 }).map((length) => text.slice(0, length)),
    fc.constantFrom('}', ',', ']', 'x', '"', '\u0000', ' {}').map((tail) => text + tail),
    fc.constantFrom('x', ',', '}', '\ufeff\ufeff').map((head) => head + text),
  )
}
