import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { STAFF_ROLES } from '../auth/route-roles.ts'
import Type from 'typebox'
import {
  CHUNK_SIZE,
  ChunkAck,
  ChunkBody,
  ChunkParams,
  ChunkRunAck,
  ChunkRunParams,
  ErrorBody,
  MAX_RUN_CHUNKS,
  SIGNATURE_CHUNK_MEDIA_TYPE,
  SIGNATURE_LENGTH,
} from '@boxoffice/tickets'
import { InvalidRequest, toErrorResponse } from '../errors.ts'
import { ingestChunk, type ChunkUpload } from '../ingest/chunk-ingest.ts'
import { ingestChunkRun, RUN_BODY_LIMIT } from '../ingest/chunk-run-ingest.ts'
import requestDecompression from '../plugins/request-decompression.ts'
import { signedInAccount } from '../plugins/authentication.ts'
import { maxChunkBodyBytes } from './chunk-body-limit.ts'

/**
 * The run route's path: both ends digits only, so that a malformed single index such as `-1` or
 * `1-` still reaches the single-chunk route and is refused there as a bad index.
 */
export const CHUNK_RUN_PATH = '/batches/:id/chunks/:first(^\\d+)-:last(^\\d+)'

/** The largest JSON chunk body the schema can accept (about 27 KiB); anything larger is refused unread. */
export const CHUNK_BODY_LIMIT = maxChunkBodyBytes()
/** What the signature parser hands the route; its shape was checked by the parser itself. */
const SignatureChunk = Type.Unsafe<{ signatures: Uint8Array }>({ description: `${SIGNATURE_CHUNK_MEDIA_TYPE}: 64 bytes a ticket` })

/** Signatures a route's body may hold at most: a chunk's, or a run's (route config `maxSignatures`). */
function maxSignaturesOf(config: unknown): number {
  return (config as { maxSignatures?: number }).maxSignatures ?? CHUNK_SIZE
}

const chunks: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(requestDecompression) // Content-Encoding: gzip bodies, these routes only
  app.addContentTypeParser(SIGNATURE_CHUNK_MEDIA_TYPE, { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer
    const most = maxSignaturesOf(request.routeOptions.config)
    if (bytes.length === 0 || bytes.length % SIGNATURE_LENGTH !== 0 || bytes.length > most * SIGNATURE_LENGTH) {
      done(
        new InvalidRequest(
          `a ${SIGNATURE_CHUNK_MEDIA_TYPE} body is whole ${SIGNATURE_LENGTH}-byte signatures, 1 to ${most.toLocaleString('en-US')} of them; got ${bytes.length} bytes`,
        ),
      )
      return
    }
    done(null, { signatures: bytes })
  })
  app.put(
    '/batches/:id/chunks/:index',
    {
      bodyLimit: CHUNK_BODY_LIMIT,
      config: { roles: STAFF_ROLES, mediaTypes: ['application/json', SIGNATURE_CHUNK_MEDIA_TYPE] },
      schema: {
        params: ChunkParams,
        // Per media type: the JSON body against its schema, the signatures as the parser checked them.
        body: { content: { 'application/json': { schema: ChunkBody }, [SIGNATURE_CHUNK_MEDIA_TYPE]: { schema: SignatureChunk } } },
        response: { 200: ChunkAck, '4xx': ErrorBody },
      },
    },
    async (request) => {
      const deps = { repository: app.repository, verifier: app.chunkVerifier }
      const upload = request.body as ChunkUpload
      return ingestChunk(deps, request.params.id, request.params.index, upload, signedInAccount(request))
    },
  )

  // A run of consecutive chunks in one request, as signatures only (docs/api.md, "Runs of chunks").
  app.put(
    CHUNK_RUN_PATH,
    {
      bodyLimit: RUN_BODY_LIMIT,
      config: { roles: STAFF_ROLES, mediaTypes: [SIGNATURE_CHUNK_MEDIA_TYPE], maxSignatures: MAX_RUN_CHUNKS * CHUNK_SIZE },
      schema: {
        params: ChunkRunParams,
        body: { content: { [SIGNATURE_CHUNK_MEDIA_TYPE]: { schema: SignatureChunk } } },
        response: { 200: ChunkRunAck, '4xx': ErrorBody },
      },
    },
    async (request) => {
      const deps = { repository: app.repository, verifier: app.chunkVerifier }
      const { id, first, last } = request.params
      const { signatures } = request.body as { signatures: Uint8Array }
      const results = await ingestChunkRun(deps, { batchId: id, first, last, signatures }, signedInAccount(request), (error, index) => {
        const response = toErrorResponse(error as Parameters<typeof toErrorResponse>[0], request)
        // The client gets the generic body a single upload would; the log keeps what happened.
        if (response.status >= 500) request.log.error({ err: error, chunkIndex: index }, 'chunk of a run failed')
        else request.log.info({ chunkIndex: index, status: response.status, code: response.code }, 'chunk of a run refused')
        return response
      })
      return { results }
    },
  )
}

export default chunks
