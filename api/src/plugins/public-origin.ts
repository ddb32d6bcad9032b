// BOXOFFICE_PUBLIC_ORIGIN: the one origin this server answers as. A request addressed to another
// Host is refused before anything reads it. This closes DNS rebinding: a page on evil.example
// that makes its own name resolve to a LAN-only server can reach it, but its requests still say
// `Host: evil.example`, and same-origin rules then let that page read the answers.
import fp from 'fastify-plugin'
import { WrongHost, withDetails } from '../errors.ts'
import { originOf } from '../http-origin.ts'

export interface PublicOriginOptions {
  /** Normalised origin (`https://tickets.example.org`); undefined serves any Host. */
  publicOrigin?: string
}

/** Answers "ok" and nothing else, and load balancers and container probes ask it by address. */
const ANY_HOST_ROUTES = new Set(['/api/health'])

export default fp<PublicOriginOptions>(
  async function publicOrigin(app, { publicOrigin: expected }) {
    if (expected === undefined) return
    app.addHook('onRequest', async (request) => {
      const route = request.routeOptions.url
      if (route !== undefined && ANY_HOST_ROUTES.has(route)) return
      // request.protocol and request.host follow X-Forwarded-Proto/-Host only behind a trusted proxy.
      const addressed = originOf(`${request.protocol}://${request.host}`)
      if (addressed === expected) return
      const named = addressed ?? JSON.stringify(request.host.slice(0, 200))
      throw withDetails(new WrongHost(`this server answers only as ${expected}; the request was addressed to ${named}`), {
        expectedOrigin: expected,
      })
    })
  },
  { name: 'public-origin' },
)
