import type { FastifyPluginAsync } from 'fastify'
import { enforceRoleRule, requireRoleRule } from '../auth/route-roles.ts'
import { requireSession } from '../plugins/authentication.ts'
import accounts from './accounts.ts'
import audit from './audit.ts'
import batches from './batches.ts'
import checkins from './checkins.ts'
import devices from './devices.ts'
import events from './events.ts'
import chunks from './chunks.ts'
import ticketExports from './exports.ts'
import health from './health.ts'
import revocations from './revocations.ts'
import type { WorkQueueLimits } from '../auth/bounded-work-queue.ts'
import session, { type LoginLimits } from './session.ts'
import type { ExportRoutesOptions } from './exports.ts'
import tokens from './tokens.ts'
import ticketLookup from './ticket-lookup.ts'

export interface ApiRoutesOptions {
  loginLimits?: LoginLimits
  signInQueue?: WorkQueueLimits
  exports?: ExportRoutesOptions
}

/**
 * Every API route; registered under /api. Only health and signing in and out are open to anyone;
 * every other route says which roles may use it (auth/route-roles.ts).
 */
const apiRoutes: FastifyPluginAsync<ApiRoutesOptions> = async (app, options) => {
  await app.register(health)
  await app.register(session, { loginLimits: options.loginLimits, signInQueue: options.signInQueue })
  await app.register(async function signedIn(api) {
    api.addHook('onRoute', requireRoleRule)
    api.addHook('onRequest', requireSession)
    api.addHook('onRequest', enforceRoleRule)
    await api.register(accounts)
    await api.register(events)
    await api.register(batches)
    await api.register(chunks)
    await api.register(tokens)
    await api.register(ticketExports, options.exports ?? {})
    await api.register(checkins)
    await api.register(revocations)
    await api.register(devices)
    await api.register(audit)
    await api.register(ticketLookup)
  })
}

export default apiRoutes
