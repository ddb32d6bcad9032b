import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorBody, VerifyTokenBody, VerifyTokenResult } from '@boxoffice/tickets'
import { checkToken } from '../tokens/token-check.ts'

const tokens: FastifyPluginAsyncTypebox = async (app) => {
  // Any string token gets a 200 verdict: an invalid ticket is an answer, not a request error.
  app.post(
    '/tokens/verify',
    { schema: { body: VerifyTokenBody, response: { 200: VerifyTokenResult, '4xx': ErrorBody } } },
    async (request) => {
      const deps = { repository: app.repository, verifier: app.chunkVerifier }
      return checkToken(deps, request.body.token, request.body.batchId)
    },
  )
}

export default tokens
