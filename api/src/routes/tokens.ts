import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { STAFF_ROLES } from '../auth/route-roles.ts'
import { ErrorBody, VerifyTokenBody, VerifyTokenResult } from '@boxoffice/tickets'
import { checkToken } from '../tokens/token-check.ts'

/** A token of up to 4,096 ASCII characters and a batch id, with room to spare. */
const VERIFY_BODY_LIMIT = 8 * 1024

/**
 * Any signed-in account may check any ticket: gate staff check tickets of batches they did not
 * create. The answer shows only what is printed on the ticket.
 */
const tokens: FastifyPluginAsyncTypebox = async (app) => {
  // Any string token gets a 200 verdict: an invalid ticket is an answer, not a request error.
  app.post(
    '/tokens/verify',
    {
      config: { roles: STAFF_ROLES },
      bodyLimit: VERIFY_BODY_LIMIT,
      schema: { body: VerifyTokenBody, response: { 200: VerifyTokenResult, '4xx': ErrorBody } },
    },
    async (request) => {
      const deps = { repository: app.repository, verifier: app.chunkVerifier }
      return checkToken(deps, request.body.token, request.body.batchId)
    },
  )
}

export default tokens
