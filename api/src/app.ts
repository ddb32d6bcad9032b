import Fastify, { type FastifyServerOptions } from 'fastify'
import fp from 'fastify-plugin'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { SynchronousMode } from './db/open-sqlite.ts'
import { handleError } from './errors.ts'
import jsonBodies from './plugins/json-bodies.ts'
import storage from './plugins/storage.ts'
import webApp from './plugins/web-app.ts'
import apiRoutes from './routes/index.ts'
import { validatorCompiler } from './validation.ts'
import type { ChunkVerifier } from './verification/chunk-verifier.ts'

export interface AppOptions {
  /** SQLite file; created and migrated if needed. Its folder must exist. */
  dbPath: string
  /** The built web app; when missing, `/` says it is not built. */
  webDist?: string
  logger?: FastifyServerOptions['logger']
  synchronous?: SynchronousMode
  /** Replaces the in-process verifier (a worker pool, a test double). The app closes it. */
  chunkVerifier?: ChunkVerifier
  /** Otherwise, worker threads for signature checks; 0 or absent verifies on the main thread. */
  verifyThreads?: number
}

/** Bodies of every route but the chunk upload, which sets its own. */
export const DEFAULT_BODY_LIMIT = 16 * 1024

/** The whole application as one plugin, so it can be mounted in any Fastify instance. */
export const boxofficeApp = fp<AppOptions>(
  async function boxofficeApp(app, options) {
    app.setErrorHandler(handleError)
    await app.register(storage, {
      dbPath: options.dbPath,
      synchronous: options.synchronous,
      chunkVerifier: options.chunkVerifier,
      verifyThreads: options.verifyThreads,
    })
    await app.register(jsonBodies)
    await app.register(apiRoutes, { prefix: '/api' })
    await app.register(webApp, { webDist: options.webDist })
  },
  { name: 'boxoffice' },
)

export async function buildApp(options: AppOptions) {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: DEFAULT_BODY_LIMIT,
    requestTimeout: 60_000,
    // Errors raised before routing (a URL with bad percent-encoding) skip the error handler otherwise.
    frameworkErrors: (error, request, reply) => handleError(error, request, reply),
  }).withTypeProvider<TypeBoxTypeProvider>()
  app.setValidatorCompiler(validatorCompiler)
  await app.register(boxofficeApp, options)
  await app.ready()
  return app
}
