import type { FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify'
import type { TSchema } from 'typebox'
import { Compile } from 'typebox/compile'

const DECIMAL_INTEGER = /^-?(0|[1-9]\d*)$/

/**
 * Validates with TypeBox. Bodies are checked exactly as sent: no coercion, and unknown properties
 * are refused rather than silently dropped. Path and query parameters arrive as strings; only a
 * plain decimal integer string becomes a number, where the schema wants an integer. (TypeBox's own
 * conversion would turn "1.5" into 1 and "" into 0, making /chunks/1.5 an alias of /chunks/1.)
 */
export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const validator = Compile(schema)
  const convert = httpPart === 'body' ? (value: unknown) => value : integerParameters(schema)
  return (value) => {
    const converted = convert(value)
    if (validator.Check(converted)) return { value: converted }
    return { error: validator.Errors(converted) as FastifySchemaValidationError[] }
  }
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
