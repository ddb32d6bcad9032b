import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorBody, OwnPasswordBody, SessionInfo, SignInBody } from '@boxoffice/tickets'
import type { FastifyReply, FastifyRequest } from 'fastify'
import Type from 'typebox'
import { changePassword, normalizeUsername, passwordProblem } from '../auth/accounts.ts'
import { addressGroup } from '../auth/address-group.ts'
import type { WorkQueueLimits } from '../auth/bounded-work-queue.ts'
import { defaultSignInLine, SignInLine } from '../auth/sign-in-line.ts'
import { clearSessionCookie, sessionTokenOf, setSessionCookie } from '../auth/session-cookie.ts'
import type { AttemptLimit } from '../db/login-attempt-repository.ts'
import { InvalidCredentials, InvalidRequest, RateLimited, RoleForbidden, SessionExpired, SignInBusy, WrongPassword } from '../errors.ts'
import { requireSession, signedInAccount } from '../plugins/authentication.ts'
import { recordAudit } from '../audit/audit-trail.ts'
import { leaveOutOfRequestLog } from '../request-log.ts'

/**
 * Both limits count failed sign-ins only. Someone without the password can only fail, so this
 * stops guessing as well as counting every attempt would, without locking out a box office whose
 * staff all sign in from one NAT address at the start of a shift. Each attempt is counted in the
 * database before its password is checked, and released if it succeeds, so that attempts sent in
 * parallel, to one instance or to several, cannot outrun a limit.
 */
export interface LoginLimits {
  /** Failed sign-ins per client IP (IPv6 per /64: see addressGroup). */
  perIp: { maxFailures: number; timeWindowMs: number }
  /** Failed sign-ins per username, known or not, so the limit says nothing about which exist. */
  perAccount: { maxFailures: number; timeWindowMs: number }
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  perIp: { maxFailures: 10, timeWindowMs: 60_000 },
  perAccount: { maxFailures: 5, timeWindowMs: 5 * 60_000 },
}

export interface SessionRoutesOptions {
  loginLimits?: LoginLimits
  /** Password checks at once and waiting; default defaultSignInLine(). */
  signInQueue?: WorkQueueLimits
}

const SIGN_IN_BODY_LIMIT = 4 * 1024
const INVALID_CREDENTIALS_MESSAGE = 'wrong username or password'

function tooManyFailures(reply: FastifyReply, retryAfterSeconds: number) {
  const seconds = Math.max(1, retryAfterSeconds)
  reply.header('retry-after', seconds)
  return new RateLimited(`too many failed sign-ins; try again in ${seconds} s`)
}

/**
 * POST, GET and DELETE /api/session: sign in, who am I, sign out. Signing in and out need no
 * session (signing out is idempotent, so a page can always get back to the sign-in form).
 * Password checks go through a SignInLine: a few at once, a bounded line, and 503 SIGN_IN_BUSY
 * beyond it, so that a sign-in flood cannot stall uploads and pages (see auth/sign-in-line.ts).
 * DELETE /api/sessions signs the account out everywhere, and needs a session to know whose.
 */
const session: FastifyPluginAsyncTypebox<SessionRoutesOptions> = async (app, options) => {
  const limits = options.loginLimits ?? DEFAULT_LOGIN_LIMITS
  const passwordChecks = new SignInLine(options.signInQueue ?? defaultSignInLine())
  /** The error to answer (the error handler adds Retry-After). Refusals are summed up in the log, not logged one by one. */
  const signInBusy = (request: FastifyRequest) => {
    leaveOutOfRequestLog(request)
    const flood = passwordChecks.refused()
    if (flood) request.log.warn(flood, 'sign-ins refused: every password check place and the line for them are taken (a flood?)')
    return new SignInBusy('the server is checking too many sign-ins at once; try again in a few seconds')
  }
  const attemptLimits = (request: FastifyRequest, username: string): AttemptLimit[] => [
    { key: `ip:${addressGroup(request.ip)}`, max: limits.perIp.maxFailures, windowMs: limits.perIp.timeWindowMs },
    // Known or not, so that the limit says nothing about which names exist.
    { key: `account:${normalizeUsername(username)}`, max: limits.perAccount.maxFailures, windowMs: limits.perAccount.timeWindowMs },
  ]

  /**
   * A password checked as a sign-in checks it: counted against the failure limits before the
   * check (a locked-out address or name costs no scrypt work, and of attempts racing for the last
   * free one, one gets it), through the line, and released if it matches.
   */
  const checkPassword = async (request: FastifyRequest, reply: FastifyReply, username: string, password: string) => {
    const attempt = await app.loginAttempts.reserve(attemptLimits(request, username), new Date())
    if (!attempt.allowed) throw tooManyFailures(reply, Math.ceil(attempt.retryAfterMs / 1000))
    const checking = passwordChecks.tryRun(() => app.passwords.authenticate(username, password))
    if (!checking) {
      // The line filled while the attempt was being counted; no password was checked, so it does not count.
      await app.loginAttempts.release(attempt.reservation)
      throw signInBusy(request)
    }
    const result = await checking
    if (result.ok) await app.loginAttempts.release(attempt.reservation)
    return result
  }

  app.post(
    '/session',
    {
      bodyLimit: SIGN_IN_BODY_LIMIT,
      schema: { body: SignInBody, response: { 200: SessionInfo, '4xx': ErrorBody } },
      // A full line is refused before anything else, the body unread: a flood costs as little as a request can.
      onRequest: async (request) => {
        if (passwordChecks.full) throw signInBusy(request)
      },
    },
    async (request, reply) => {
      const result = await checkPassword(request, reply, request.body.username, request.body.password)
      if (!result.ok) {
        // Logged for the operator; the client gets one answer for all three reasons.
        request.log.info({ username: result.username.slice(0, 64), reason: result.reason }, 'sign-in refused')
        await recordAudit(request, 'session.sign_in_failed', result.username.slice(0, 64), { reason: result.reason })
        throw new InvalidCredentials(INVALID_CREDENTIALS_MESSAGE)
      }

      const previous = sessionTokenOf(request)
      if (previous) await app.sessions.end(previous)
      const started = await app.sessions.start(result.account)
      if (!started) {
        // The password was changed (or the account disabled) while this one was being checked.
        request.log.info({ username: result.account.username, reason: 'changed-meanwhile' }, 'sign-in refused')
        throw new InvalidCredentials(INVALID_CREDENTIALS_MESSAGE)
      }
      setSessionCookie(request, reply, started.token, started.expiresAt)
      request.log.info({ username: result.account.username }, 'signed in')
      await recordAudit(request, 'session.signed_in', result.account.username, {}, result.account.username)
      const { username, role, mustChangePassword } = result.account
      return { username, role, mustChangePassword }
    },
  )

  app.get('/session', { onRequest: requireSession, schema: { response: { 200: SessionInfo, '4xx': ErrorBody } } }, async (request) => {
    const { username, role, mustChangePassword, device } = signedInAccount(request)
    return { username, role, mustChangePassword, ...(device ? { device: device.name } : {}) }
  })

  // Every role, and an account that must change its temporary password: this is how it does.
  // The current password is checked like a sign-in (same line, same failure limits); the change
  // ends every session of the account, this one included, and this one starts afresh.
  app.put(
    '/session/password',
    {
      bodyLimit: SIGN_IN_BODY_LIMIT,
      onRequest: async (request, reply) => {
        await requireSession(request, reply)
        if (passwordChecks.full) throw signInBusy(request)
      },
      schema: { body: OwnPasswordBody, response: { 200: SessionInfo, '4xx': ErrorBody } },
    },
    async (request, reply) => {
      const account = signedInAccount(request)
      if (account.device) throw new RoleForbidden('a gate device has no password; an admin revokes it and registers a new one')
      const { currentPassword, newPassword } = request.body
      const problem = passwordProblem(newPassword)
      if (problem) throw new InvalidRequest(problem)
      if (newPassword === currentPassword) throw new InvalidRequest('the new password must differ from the current one')
      const result = await checkPassword(request, reply, account.username, currentPassword)
      if (!result.ok) throw new WrongPassword('the current password is wrong')
      const changed = await changePassword(app.accounts, account.username, newPassword, app.passwords.scrypt)
      const started = await app.sessions.start(changed.account)
      if (!started) throw new SessionExpired('the account changed meanwhile; sign in again')
      setSessionCookie(request, reply, started.token, started.expiresAt)
      request.log.info({ username: account.username, sessionsEnded: changed.sessionsEnded }, 'password changed by its account')
      await recordAudit(request, 'session.password_changed', account.username, { sessionsEnded: changed.sessionsEnded })
      return { username: changed.account.username, role: changed.account.role, mustChangePassword: false }
    },
  )

  app.delete('/session', { schema: { response: { 204: Type.Null(), '4xx': ErrorBody } } }, async (request, reply) => {
    const token = sessionTokenOf(request)
    if (token) await app.sessions.end(token)
    clearSessionCookie(request, reply)
    return reply.code(204).send(null)
  })

  app.delete(
    '/sessions',
    { onRequest: requireSession, schema: { response: { 204: Type.Null(), '4xx': ErrorBody } } },
    async (request, reply) => {
      const account = signedInAccount(request)
      const ended = await app.sessions.endAll(account)
      request.log.info({ username: account.username, sessionsEnded: ended }, 'signed out everywhere')
      clearSessionCookie(request, reply)
      return reply.code(204).send(null)
    },
  )
}

export default session
