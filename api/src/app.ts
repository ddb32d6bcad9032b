import Fastify, { type FastifyServerOptions } from 'fastify'
import fp from 'fastify-plugin'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { WorkQueueLimits } from './auth/bounded-work-queue.ts'
import type { ScryptParams } from './auth/password-hash.ts'
import type { TrustProxy } from './config.ts'
import { DEFAULT_SESSION_TTL_HOURS } from './auth/sessions.ts'
import type { Storage, StorageConfig } from './db/storage.ts'
import type { ExportLimits } from './exports/export-slots.ts'
import { handleError } from './errors.ts'
import { RequestLog } from './request-log.ts'
import authentication from './plugins/authentication.ts'
import csrf from './plugins/csrf.ts'
import jsonBodies from './plugins/json-bodies.ts'
import publicOrigin from './plugins/public-origin.ts'
import securityHeaders from './plugins/security-headers.ts'
import storage from './plugins/storage.ts'
import webApp from './plugins/web-app.ts'
import apiRoutes from './routes/index.ts'
import type { LoginLimits } from './routes/session.ts'
import { validatorCompiler } from './validation.ts'
import type { ChunkVerifier } from './verification/chunk-verifier.ts'
import type { SignatureLibraryChoice } from './verification/signature-check.ts'
import auditRetention from './plugins/audit-retention.ts'
import { DEFAULT_AUDIT_DAYS } from './audit/audit-trail.ts'

export interface AppOptions {
  /** The database (SQLite file or PostgreSQL), opened and migrated at start. */
  database?: StorageConfig
  /** The built web app; when missing, `/` says it is not built. */
  webDist?: string
  logger?: FastifyServerOptions['logger']
  /**
   * Storage already open, used instead of opening `database` (tests keep its connection to
   * provoke real SQLite faults: a full disk, a read-only file). The app closes it.
   */
  storage?: Storage
  /** Replaces the in-process verifier (a worker pool, a test double). The app closes it. */
  chunkVerifier?: ChunkVerifier
  /** Otherwise, worker threads for signature checks; 0 or absent verifies on the main thread. */
  verifyThreads?: number
  /** The library that checks them: `auto` (the default) takes libsodium when it loads, else OpenSSL. */
  verifyLibrary?: SignatureLibraryChoice
  /** How long a sign-in lasts (default 12 hours, at most 168); not extended by use. */
  sessionTtlHours?: number
  /** A session unused this long ends (default 60 minutes; 5 to 10,080). Any request is use, chunk uploads included. */
  sessionIdleMinutes?: number
  /** Sign-in rate limits; tests lower them. */
  loginLimits?: LoginLimits
  /** Password checks at once and waiting (default: one fewer than the cores, at least one, and 16 each); more are 503 SIGN_IN_BUSY. */
  signInQueue?: WorkQueueLimits
  /** Cost of the dummy hash unknown usernames are checked against; tests lower it with their accounts'. */
  scrypt?: ScryptParams
  /**
   * Fastify's trustProxy: behind a reverse proxy, believe its X-Forwarded-For/-Proto/-Host, so the
   * per-IP limit sees the client, the cookie is Secure over HTTPS, and the CSRF origin check holds.
   * Its addresses/CIDRs or a hop count; never `true` (see config.ts).
   */
  trustProxy?: TrustProxy
  /**
   * BOXOFFICE_PUBLIC_ORIGIN, normalised (`https://tickets.example.org`): every request but the
   * health check must be addressed to it (421 WRONG_HOST otherwise). Unset: any Host is served.
   */
  publicOrigin?: string
  /** Exports running at once, per account and in all (default 2 and 4); more are 429 EXPORTS_BUSY. */
  exportLimits?: ExportLimits
  /** Worker threads that draw PDFs (default 1), started with the first PDF export. */
  pdfThreads?: number
  /** Replaces the PDF worker's entry point (tests: one that crashes). */
  pdfWorkerUrl?: URL
  /** Days the audit log keeps an entry (default 400). */
  auditDays?: number
}

/** Bodies of every route that does not set its own limit (sign-in, token check and chunk upload do). */
export const DEFAULT_BODY_LIMIT = 4 * 1024

/** The whole application as one plugin, so it can be mounted in any Fastify instance. */
export const boxofficeApp = fp<AppOptions>(
  async function boxofficeApp(app, options) {
    app.setErrorHandler(handleError)
    // First, so that every answer carries the headers, refusals included.
    await app.register(securityHeaders)
    await app.register(publicOrigin, { publicOrigin: options.publicOrigin })
    await app.register(csrf)
    await app.register(storage, {
      database: options.database,
      storage: options.storage,
      chunkVerifier: options.chunkVerifier,
      verifyThreads: options.verifyThreads,
      verifyLibrary: options.verifyLibrary,
    })
    await app.register(authentication, {
      sessionTtlMs: (options.sessionTtlHours ?? DEFAULT_SESSION_TTL_HOURS) * 3_600_000,
      sessionIdleMs: options.sessionIdleMinutes === undefined ? undefined : options.sessionIdleMinutes * 60_000,
      scrypt: options.scrypt,
    })
    await app.register(auditRetention, { days: options.auditDays ?? DEFAULT_AUDIT_DAYS })
    await app.register(jsonBodies)
    await app.register(apiRoutes, {
      prefix: '/api',
      loginLimits: options.loginLimits,
      signInQueue: options.signInQueue,
      exports: { exportLimits: options.exportLimits, pdfThreads: options.pdfThreads, pdfWorkerUrl: options.pdfWorkerUrl },
    })
    await app.register(webApp, { webDist: options.webDist })
  },
  { name: 'boxoffice' },
)

/** A hop count as the function Fastify makes of one at run time (its types accept no number). */
function fastifyTrustProxy(trust: TrustProxy) {
  return typeof trust === 'number' ? (_address: string, hop: number) => hop < trust : trust
}

export async function buildApp(options: AppOptions) {
  const app = Fastify({
    logger: options.logger ?? false,
    logController: new RequestLog(),
    bodyLimit: DEFAULT_BODY_LIMIT,
    requestTimeout: 60_000,
    // Starting includes waiting for the migrations another instance is applying and starting the
    // signature workers. Three instances starting at once on a busy 2-core machine took longer than
    // Fastify's default of 10 s and gave up, even though nothing had failed.
    pluginTimeout: 120_000,
    trustProxy: fastifyTrustProxy(options.trustProxy ?? false),
    // Errors raised before routing (a URL with bad percent-encoding) skip the error handler otherwise.
    frameworkErrors: (error, request, reply) => handleError(error, request, reply),
  }).withTypeProvider<TypeBoxTypeProvider>()
  app.setValidatorCompiler(validatorCompiler)
  await app.register(boxofficeApp, options)
  await app.ready()
  return app
}
