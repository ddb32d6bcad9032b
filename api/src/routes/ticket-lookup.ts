import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorBody, TicketLookup, TicketLookupQuery } from '@boxoffice/tickets'
import { STAFF_ROLES } from '../auth/route-roles.ts'
import { signedInAccount } from '../plugins/authentication.ts'
import { lookUpTicket } from '../tokens/ticket-lookup.ts'

/** Staff look up tickets of their own batches, admins any; gates see what a scan shows, on the Check-in page. */
const ticketLookup: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/tickets/lookup',
    { config: { roles: STAFF_ROLES }, schema: { querystring: TicketLookupQuery, response: { 200: TicketLookup, '4xx': ErrorBody } } },
    async (request) =>
      lookUpTicket(
        { repository: app.repository, checkins: app.checkins, verifier: app.chunkVerifier },
        request.query.q,
        signedInAccount(request),
      ),
  )
}

export default ticketLookup
