import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorBody, Health } from '@boxoffice/tickets'

const health: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health', { schema: { response: { 200: Health, '5xx': ErrorBody } } }, async () => {
    await app.repository.ping()
    return { status: 'ok', database: 'ok' } as const
  })
}

export default health
