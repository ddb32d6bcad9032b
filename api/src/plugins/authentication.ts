import fastifyCookie from '@fastify/cookie'
import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { PasswordChecker } from '../auth/accounts.ts'
import type { ScryptParams } from '../auth/password-hash.ts'
import { sessionTokenOf } from '../auth/session-cookie.ts'
import { SessionService, type SignedInAccount } from '../auth/sessions.ts'
import { AuthRequired, SessionExpired } from '../errors.ts'

declare module 'fastify' {
  interface FastifyInstance {
    sessions: SessionService
    passwords: PasswordChecker
  }
  interface FastifyRequest {
    /** Set by requireSession; null on routes that do not require one. */
    account: SignedInAccount | null
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
  const token = sessionTokenOf(request)
  if (!token) throw new AuthRequired('sign in first: this route needs a session')
  const account = await request.server.sessions.resolve(token)
  if (!account) throw new SessionExpired('the session has expired or was ended; sign in again')
  request.account = account
}

/** The account requireSession found. */
export function signedInAccount(request: FastifyRequest): SignedInAccount {
  if (!request.account) throw new AuthRequired('sign in first: this route needs a session')
  return request.account
}
