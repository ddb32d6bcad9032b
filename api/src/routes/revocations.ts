import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { STAFF_ROLES } from '../auth/route-roles.ts'
import { BatchParams, ErrorBody, Revocation, RevokeBody, TicketParams } from '@boxoffice/tickets'
import { revoke } from '../checkin/revocation.ts'
import { signedInAccount } from '../plugins/authentication.ts'
import { recordAudit } from '../audit/audit-trail.ts'
import { formatTicketNumber } from '@boxoffice/tickets'

/** Revoking a ticket or a whole completed batch: 201 the first time, 200 with the same revocation after. */
const revocations: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ repository: app.repository, checkins: app.checkins })

  app.post(
    '/batches/:id/tickets/:serial/revoke',
    {
      config: { roles: STAFF_ROLES },
      schema: { params: TicketParams, body: RevokeBody, response: { 200: Revocation, 201: Revocation, '4xx': ErrorBody } },
    },
    async (request, reply) => {
      const { id, serial } = request.params
      const { created, revocation } = await revoke(deps(), id, serial, request.body.reason, signedInAccount(request))
      if (created)
        await recordAudit(request, 'ticket.revoked', formatTicketNumber(id, serial), { batchId: id, serial, reason: revocation.reason })
      return reply.code(created ? 201 : 200).send(revocation)
    },
  )

  app.post(
    '/batches/:id/revoke',
    {
      config: { roles: STAFF_ROLES },
      schema: { params: BatchParams, body: RevokeBody, response: { 200: Revocation, 201: Revocation, '4xx': ErrorBody } },
    },
    async (request, reply) => {
      const { created, revocation } = await revoke(deps(), request.params.id, null, request.body.reason, signedInAccount(request))
      if (created) await recordAudit(request, 'batch.revoked', request.params.id, { reason: revocation.reason })
      return reply.code(created ? 201 : 200).send(revocation)
    },
  )
}

export default revocations
