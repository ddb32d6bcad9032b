import type { FastifyPluginAsync } from 'fastify'
import batches from './batches.ts'
import chunks from './chunks.ts'
import health from './health.ts'
import tokens from './tokens.ts'

/** Every API route; registered under /api. */
const apiRoutes: FastifyPluginAsync = async (app) => {
  await app.register(health)
  await app.register(batches)
  await app.register(chunks)
  await app.register(tokens)
}

export default apiRoutes
