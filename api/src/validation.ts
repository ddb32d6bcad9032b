import type { FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify'
import type { TSchema } from 'typebox'
import { Compile } from 'typebox/compile'

const DECIMAL_INTEGER = /^(0|-?[1-9]\d*)$/

/**
 * Validates with TypeBox. Bodies are checked exactly as sent: no coercion, and unknown properties
 * are refused rather than silently dropped. Path and query parameters arrive as strings; only a
 * plain decimal integer string becomes a number, where the schema wants an integer. (TypeBox's own
 * conversion would turn "1.5" into 1 and "" into 0, making /chunks/1.5 an alias of /chunks/1; "-0" is
 * refused for the same reason.)
 */
export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const validator = Compile(schema)
  const isBody = httpPart === 'body'
  const convert = isBody ? (value: unknown) => value : integerParameters(schema)
  return (value) => {
    const converted = convert(value)
    if (!validator.Check(converted)) return { error: validator.Errors(converted) as FastifySchemaValidationError[] }
    // Checked after the schema, which bounds how deep a valid body can nest.
    const malformed = isBody ? malformedUnicode(converted, '') : undefined
    return malformed ? { error: [malformed] } : { value: converted }
  }
}

// A UTF-16 surrogate without its other half: JSON can carry one ("\ud800"), but it is no Unicode
// text, and SQLite stores it as U+FFFD, so the stored field would differ from the one sent and an
// identical replay would be refused as a conflict.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/
// PostgreSQL's text cannot hold U+0000 at all; no field of this API has a use for it either.
const NUL = '\u0000'

/** The first string (or property name) in a parsed JSON body that is not well-formed Unicode, or holds NUL. */
function malformedUnicode(value: unknown, path: string): FastifySchemaValidationError | undefined {
  if (typeof value === 'string') {
    if (LONE_SURROGATE.test(value)) {
      return {
        keyword: 'wellFormed',
        instancePath: path,
        schemaPath: '#',
        params: {},
        message: 'must be well-formed Unicode (it holds a lone surrogate)',
      }
    }
    if (value.includes(NUL)) {
      return { keyword: 'noNul', instancePath: path, schemaPath: '#', params: {}, message: 'must not contain the NUL character (U+0000)' }
    }
    return undefined
  }
  // Bytes (a signature chunk's body) hold no text; walking them would visit every byte.
  if (typeof value !== 'object' || value === null || value instanceof Uint8Array) return undefined
  for (const [key, item] of Object.entries(value)) {
    const found = malformedUnicode(key, path) ?? malformedUnicode(item, `${path}/${key}`)
    if (found) return found
  }
  return undefined
}

function integerParameters(schema: TSchema): (value: unknown) => unknown {
  const properties = (schema as { properties?: Record<string, { type?: unknown }> }).properties ?? {}
  const integerNames = Object.keys(properties).filter((name) => properties[name]?.type === 'integer')
  if (integerNames.length === 0) return (value) => value
  return (value) => {
    if (typeof value !== 'object' || value === null) return value
    const converted: Record<string, unknown> = { ...value }
    for (const name of integerNames) {
      const text = converted[name]
      if (typeof text === 'string' && DECIMAL_INTEGER.test(text)) converted[name] = Number(text)
    }
    return converted
  }
}
