import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ChunkAck, ChunkBody, ChunkParams, ErrorBody } from '@boxoffice/tickets'
import { ingestChunk } from '../ingest/chunk-ingest.ts'
import requestDecompression from '../plugins/request-decompression.ts'
import { signedInAccount } from '../plugins/authentication.ts'
import { maxChunkBodyBytes } from './chunk-body-limit.ts'

/** The largest chunk body the schema can accept (about 27 KiB); anything larger is refused unread. */
export const CHUNK_BODY_LIMIT = maxChunkBodyBytes()

const chunks: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(requestDecompression) // Content-Encoding: gzip bodies, this route only
  app.put(
    '/batches/:id/chunks/:index',
    {
      bodyLimit: CHUNK_BODY_LIMIT,
      schema: { params: ChunkParams, body: ChunkBody, response: { 200: ChunkAck, '4xx': ErrorBody } },
    },
    async (request) => {
      const deps = { repository: app.repository, verifier: app.chunkVerifier }
      return ingestChunk(deps, request.params.id, request.params.index, request.body.tickets, signedInAccount(request))
    },
  )
}

export default chunks
