// Request bodies sent with `Content-Encoding: gzip` (the browser compresses chunks with
// CompressionStream to save bytes on slow Wi-Fi). The route's body limit applies to the inflated
// body as well as to the bytes on the wire, and inflating stops the moment it is exceeded, so a
// small zip bomb costs the server no more than a body of the limit's size.
import type { Readable } from 'node:stream'
import { Transform, type TransformCallback } from 'node:stream'
import { createGunzip } from 'node:zlib'
import createError from '@fastify/error'
import { errorCodes, type FastifyRequest, type preParsingAsyncHookHandler } from 'fastify'
import fp from 'fastify-plugin'

export const UnsupportedContentEncoding = createError('UNSUPPORTED_CONTENT_ENCODING', '%s', 415)
export const BadContentEncoding = createError('BAD_CONTENT_ENCODING', '%s', 400)

export const SUPPORTED_CONTENT_ENCODINGS = 'gzip, identity'

/** What the body is wrapped in, outermost last; `identity` is no coding at all (RFC 9110 §8.4.1). */
function contentCodings(request: FastifyRequest): string[] {
  const header = request.headers['content-encoding']
  if (header === undefined) return []
  return header
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity')
}

export const decompressRequestBody: preParsingAsyncHookHandler = async (request, reply, payload) => {
  const codings = contentCodings(request)
  if (codings.length === 0) return payload
  if (codings.length === 1 && (codings[0] === 'gzip' || codings[0] === 'x-gzip')) {
    return gunzipWithinLimit(payload, request.routeOptions.bodyLimit)
  }
  // RFC 7694 §3: a 415 for a content coding says which codings are accepted.
  reply.header('accept-encoding', SUPPORTED_CONTENT_ENCODINGS)
  throw new UnsupportedContentEncoding(
    `content-encoding ${JSON.stringify(request.headers['content-encoding'])} is not supported; send gzip or no encoding`,
  )
}

/**
 * The inflated body, which fails with Fastify's own body-too-large error once either the wire
 * bytes or the inflated bytes pass `limit`, and with BAD_CONTENT_ENCODING if it is not gzip.
 * `receivedEncodedLength` is what Fastify compares with Content-Length.
 */
function gunzipWithinLimit(wire: Readable, limit: number): Readable {
  const gunzip = createGunzip()
  let inflatedBytes = 0
  let stopped = false
  const stop = (error: Error) => {
    if (stopped) return
    stopped = true
    // Keep draining the request rather than destroying it: the error answer goes out on its socket.
    wire.unpipe(gunzip)
    wire.resume()
    gunzip.destroy()
    body.destroy(error)
  }
  const body = new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      inflatedBytes += chunk.length
      if (inflatedBytes > limit) stop(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE())
      callback(null, stopped ? undefined : chunk)
    },
  }) as Transform & { receivedEncodedLength: number }
  body.receivedEncodedLength = 0
  // Fastify listens for errors once it reads the body; when it refuses the request unread (a
  // Content-Length over the limit), the error has no other listener and must not crash the process.
  body.on('error', () => {})

  wire.on('data', (chunk: Buffer) => {
    body.receivedEncodedLength += chunk.length
    if (body.receivedEncodedLength > limit) stop(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE())
  })
  wire.on('error', stop)
  gunzip.on('error', (error) => stop(new BadContentEncoding(`request body is not valid gzip (${error.message})`)))
  wire.pipe(gunzip).pipe(body)
  return body
}

/** Registered inside a route plugin, it decodes that plugin's request bodies only. */
export default fp(
  async function requestDecompression(app) {
    app.addHook('preParsing', decompressRequestBody)
  },
  { name: 'request-decompression' },
)
