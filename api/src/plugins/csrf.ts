// Cross-site request forgery. The session cookie is SameSite=Strict, so a browser does not send it
// with a request started by another site; this check is the second, independent layer: a
// state-changing API request must prove it comes from this origin or from a non-browser client.
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '@boxoffice/tickets'
import fp from 'fastify-plugin'
import { CsrfRejected } from '../errors.ts'
import { originOf } from '../http-origin.ts'

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

export interface CsrfFacts {
  method: string
  origin: string | undefined
  customHeader: string | undefined
  /** The request's own origin as the server sees it: protocol and Host (or X-Forwarded-* behind a trusted proxy). */
  protocol: string
  host: string
}

/**
 * Why a request must be refused, or undefined. For POST, PUT, PATCH and DELETE:
 * - an Origin header, when present, must be this server's own origin (browsers send it with
 *   every cross-origin request and with same-origin POST/PUT/PATCH/DELETE fetches);
 * - without Origin, the request must carry `X-Boxoffice-Request: 1`, a header no cross-site form
 *   can set and no cross-origin fetch can send without a CORS preflight this server never allows.
 */
export function csrfProblem(facts: CsrfFacts): string | undefined {
  if (!STATE_CHANGING.has(facts.method)) return undefined
  if (facts.origin !== undefined) {
    const own = originOf(`${facts.protocol}://${facts.host}`)
    if (own !== undefined && originOf(facts.origin) === own) return undefined
    return `origin ${JSON.stringify(facts.origin.slice(0, 200))} is not this server's origin`
  }
  if (facts.customHeader === CSRF_HEADER_VALUE) return undefined
  return 'a request without an Origin header must carry the header X-Boxoffice-Request: 1'
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value
}

/**
 * Checks every state-changing request before anything else reads it, whatever its path: the router
 * decodes a path before matching it, so a test of the raw URL would let `/%61pi/…` through, and the
 * web app takes no POST, PUT, PATCH or DELETE anyway.
 */
export default fp(
  async function csrf(app) {
    app.addHook('onRequest', async (request) => {
      const problem = csrfProblem({
        method: request.method,
        origin: single(request.headers.origin),
        customHeader: single(request.headers[CSRF_HEADER]),
        protocol: request.protocol,
        host: request.host,
      })
      if (problem) throw new CsrfRejected(problem)
    })
  },
  { name: 'csrf' },
)
