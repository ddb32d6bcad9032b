// The session cookie's name and attributes. Over HTTPS it is `__Host-boxoffice_session`: a browser
// keeps a `__Host-` cookie only if it is Secure, has Path=/ and no Domain, so no other subdomain
// and no plain-HTTP answer can plant or overwrite it. Over plain HTTP (localhost, a LAN) the prefix
// is impossible and the cookie keeps its plain name.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { SECURE_SESSION_COOKIE, SESSION_COOKIE } from './sessions.ts'

function overHttps(request: FastifyRequest): boolean {
  // Directly, or behind a proxy trusted with BOXOFFICE_TRUST_PROXY (X-Forwarded-Proto).
  return request.protocol === 'https'
}

/**
 * The one name read on this request. Over HTTPS the plain name is not read: such a cookie could
 * have been set by a sibling subdomain or over HTTP (session fixation), which the prefix rules out.
 */
export function sessionCookieName(request: FastifyRequest): string {
  return overHttps(request) ? SECURE_SESSION_COOKIE : SESSION_COOKIE
}

export function sessionCookieOptions(request: FastifyRequest) {
  // A Secure cookie sent over plain HTTP on a LAN would never come back, so Secure only over HTTPS.
  return { path: '/', httpOnly: true, sameSite: 'strict', secure: overHttps(request) } as const
}

export function sessionTokenOf(request: FastifyRequest): string | undefined {
  return request.cookies[sessionCookieName(request)] || undefined
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string, expires: Date): void {
  reply.setCookie(sessionCookieName(request), token, { ...sessionCookieOptions(request), expires })
  dropPlainCookieOverHttps(request, reply)
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(sessionCookieName(request), sessionCookieOptions(request))
  dropPlainCookieOverHttps(request, reply)
}

/** A plain cookie left from before the server was behind HTTPS is no longer read: remove it. */
function dropPlainCookieOverHttps(request: FastifyRequest, reply: FastifyReply): void {
  if (overHttps(request) && request.cookies[SESSION_COOKIE] !== undefined) {
    reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure: true })
  }
}
