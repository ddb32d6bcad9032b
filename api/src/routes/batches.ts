import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { STAFF_ROLES } from '../auth/route-roles.ts'
import { BatchList, BatchListQuery, BatchParams, BatchStatus, CreateBatchBody, ErrorBody } from '@boxoffice/tickets'
import { cancelBatch, completeBatch, createBatch, getBatchStatus } from '../batches/batch-lifecycle.ts'
import { listedCreator } from '../batches/batch-access.ts'
import { toBatchSummary } from '../batches/batch-view.ts'
import { recordAudit } from '../audit/audit-trail.ts'
import { signedInAccount } from '../plugins/authentication.ts'

const DEFAULT_LIST_LIMIT = 100

const batches: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/batches',
    {
      config: { roles: STAFF_ROLES },
      schema: { body: CreateBatchBody, response: { 200: BatchStatus, 201: BatchStatus, '4xx': ErrorBody } },
    },
    async (request, reply) => {
      const { created, status } = await createBatch(app.repository, request.body, signedInAccount(request))
      if (created) {
        await recordAudit(request, 'batch.created', status.id, {
          event: status.event,
          ticketType: status.ticketType,
          quantity: status.quantity,
        })
      }
      return reply.code(created ? 201 : 200).send(status)
    },
  )

  app.get(
    '/batches',
    { config: { roles: STAFF_ROLES }, schema: { querystring: BatchListQuery, response: { 200: BatchList, '4xx': ErrorBody } } },
    async (request) => {
      const { state, limit = DEFAULT_LIST_LIMIT } = request.query
      const createdBy = listedCreator(signedInAccount(request))
      const records = await app.repository.listBatches({ state, createdBy, limit })
      return { batches: records.map(toBatchSummary) }
    },
  )

  app.get(
    '/batches/:id',
    { config: { roles: STAFF_ROLES }, schema: { params: BatchParams, response: { 200: BatchStatus, '4xx': ErrorBody } } },
    async (request) => getBatchStatus(app.repository, request.params.id, signedInAccount(request)),
  )

  app.post(
    '/batches/:id/complete',
    { config: { roles: STAFF_ROLES }, schema: { params: BatchParams, response: { 200: BatchStatus, '4xx': ErrorBody } } },
    async (request) => {
      const { finished, status } = await completeBatch(app.repository, request.params.id, signedInAccount(request))
      if (finished) await recordAudit(request, 'batch.completed', status.id, { event: status.event, quantity: status.quantity })
      return status
    },
  )

  app.post(
    '/batches/:id/cancel',
    { config: { roles: STAFF_ROLES }, schema: { params: BatchParams, response: { 200: BatchStatus, '4xx': ErrorBody } } },
    async (request) => {
      const { finished, status } = await cancelBatch(app.repository, request.params.id, signedInAccount(request))
      if (finished) await recordAudit(request, 'batch.cancelled', status.id, { event: status.event, uploaded: status.ticketsReceived })
      return status
    },
  )
}

export default batches
