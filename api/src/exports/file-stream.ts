import type { Readable } from 'node:stream'
import Type from 'typebox'

/** A streamed file body: never serialized, so no schema to check it against. */
export const FileStream = Type.Unsafe<Readable>({})
