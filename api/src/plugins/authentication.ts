import fastifyCookie from '@fastify/cookie'
import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { PasswordChecker } from '../auth/accounts.ts'
import type { ScryptParams } from '../auth/password-hash.ts'
import { sessionTokenOf } from '../auth/session-cookie.ts'
import { SessionService, type SignedInAccount } from '../auth/sessions.ts'
import { deviceKeyOf, hashDeviceKey } from '../devices/device-keys.ts'
import { AuthRequired, DeviceRevoked, DeviceUnknown, SessionExpired } from '../errors.ts'

declare module 'fastify' {
  interface FastifyInstance {
    sessions: SessionService
    passwords: PasswordChecker
  }
  interface FastifyRequest {
    /** Set by requireSession; null on routes that do not require one. */
    account: SignedInAccount | null
  }
  interface FastifyContextConfig {
    /** The route takes requests from a revoked gate device too (the sync, which keeps them for review). */
    acceptsRevokedDevice?: boolean
  }
}

export interface AuthenticationOptions {
  sessionTtlMs: number
  /** A session unused this long ends (default DEFAULT_SESSION_IDLE_MINUTES). */
  sessionIdleMs?: number
  /** Cost of the dummy hash that unknown usernames are checked against; match the accounts' cost. */
  scrypt?: ScryptParams
}

/** Cookies, the session service and the password checker. Needs the storage plugin. */
export default fp<AuthenticationOptions>(
  async function authentication(app, options) {
    await app.register(fastifyCookie)
    app.decorate('sessions', new SessionService(app.accounts, { ttlMs: options.sessionTtlMs, idleMs: options.sessionIdleMs }))
    app.decorate('passwords', new PasswordChecker(app.accounts, options.scrypt))
    app.decorateRequest('account', null)
  },
  { name: 'authentication', dependencies: ['storage'] },
)

/**
 * onRequest hook of every route that needs a signed-in account. Runs before the body is read, so
 * an anonymous request is answered 401 whatever it carries. No cookie: AUTH_REQUIRED. A cookie
 * that no longer names a live session (expired, idle too long, signed out, account disabled): SESSION_EXPIRED.
 */
export async function requireSession(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
  const deviceKey = deviceKeyOf(request)
  if (deviceKey !== undefined) {
    request.account = await gateDevice(request, deviceKey)
    return
  }
  const token = sessionTokenOf(request)
  if (!token) throw new AuthRequired('sign in first: this route needs a session')
  const account = await request.server.sessions.resolve(token)
  if (!account) throw new SessionExpired('the session has expired or was ended; sign in again')
  request.account = account
}

/** A gate device's key stands in for a session; a revoked device is refused on every route but the sync. */
async function gateDevice(request: FastifyRequest, key: string | null): Promise<SignedInAccount> {
  const device = key === null ? undefined : await request.server.devices.findDeviceByKeyHash(hashDeviceKey(key))
  if (!device) throw new DeviceUnknown('this gate device key is not registered here; ask an admin for a new device link')
  if (device.revokedAt !== null && request.routeOptions.config.acceptsRevokedDevice !== true) {
    throw new DeviceRevoked(
      `the gate device ${JSON.stringify(device.name)} was revoked at ${device.revokedAt}; ask an admin for a new device link`,
    )
  }
  return {
    id: null,
    username: `device:${device.name}`,
    role: 'gate',
    mustChangePassword: false,
    device: { id: device.id, name: device.name, revokedAt: device.revokedAt },
  }
}

/** The account requireSession found. */
export function signedInAccount(request: FastifyRequest): SignedInAccount {
  if (!request.account) throw new AuthRequired('sign in first: this route needs a session')
  return request.account
}
