import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { CHUNK_SIZE, ChunkAck, ChunkBody, ChunkParams, ErrorBody, SIGNATURE_CHUNK_MEDIA_TYPE, SIGNATURE_LENGTH } from '@boxoffice/tickets'
import { InvalidRequest } from '../errors.ts'
import { ingestChunk, type ChunkUpload } from '../ingest/chunk-ingest.ts'
import requestDecompression from '../plugins/request-decompression.ts'
import { signedInAccount } from '../plugins/authentication.ts'
import { maxChunkBodyBytes } from './chunk-body-limit.ts'

/** The largest JSON chunk body the schema can accept (about 27 KiB); anything larger is refused unread. */
export const CHUNK_BODY_LIMIT = maxChunkBodyBytes()
/** What the signature parser hands the route; its shape was checked by the parser itself. */
const SignatureChunk = Type.Unsafe<{ signatures: Uint8Array }>({ description: `${SIGNATURE_CHUNK_MEDIA_TYPE}: 64 bytes a ticket` })

const chunks: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(requestDecompression) // Content-Encoding: gzip bodies, this route only
  app.addContentTypeParser(SIGNATURE_CHUNK_MEDIA_TYPE, { parseAs: 'buffer' }, (_request, body, done) => {
    const bytes = body as Buffer
    if (bytes.length === 0 || bytes.length % SIGNATURE_LENGTH !== 0 || bytes.length > CHUNK_SIZE * SIGNATURE_LENGTH) {
      done(new InvalidRequest(`a ${SIGNATURE_CHUNK_MEDIA_TYPE} body is whole ${SIGNATURE_LENGTH}-byte signatures, 1 to ${CHUNK_SIZE} of them; got ${bytes.length} bytes`))
      return
    }
    done(null, { signatures: bytes })
  })
  app.put(
    '/batches/:id/chunks/:index',
    {
      bodyLimit: CHUNK_BODY_LIMIT,
      config: { mediaTypes: ['application/json', SIGNATURE_CHUNK_MEDIA_TYPE] },
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
}

export default chunks
