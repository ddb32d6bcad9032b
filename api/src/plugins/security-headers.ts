import helmet from '@fastify/helmet'
import fp from 'fastify-plugin'
import { isApiRequest } from '../api-path.ts'

/**
 * The web app is built by Vite into files served from this origin: one module script, one
 * stylesheet, and a module worker. It has no inline scripts or styles (Svelte's `style:` directive
 * writes through the CSSOM, which style-src does not govern), so nothing here allows inline code.
 * No upgrade-insecure-requests: the app is also served over plain HTTP on a LAN.
 */
export const CONTENT_SECURITY_POLICY = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'worker-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'frame-ancestors': ["'none'"],
  'form-action': ["'self'"],
}

/** Security headers on every response (pages, files, API answers and errors alike). */
export default fp(
  async function securityHeaders(app) {
    await app.register(helmet, {
      contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    })
    // API answers (batches, tokens, who is signed in) must not linger in any cache.
    app.addHook('onRequest', async (request, reply) => {
      if (isApiRequest(request)) reply.header('cache-control', 'no-store')
    })
  },
  { name: 'security-headers' },
)
