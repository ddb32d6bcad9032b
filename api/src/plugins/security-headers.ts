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

/**
 * The check-in page's QR scanner needs the camera, on this origin only; nothing here uses any
 * other powerful feature, so each is denied to the page and to anything it could embed. Only
 * features Chromium knows are listed (an unknown one is a console warning on every page load).
 */
export const PERMISSIONS_POLICY = [
  'camera=(self)',
  ...[
    'microphone',
    'geolocation',
    'payment',
    'usb',
    'serial',
    'hid',
    'midi',
    'accelerometer',
    'gyroscope',
    'magnetometer',
    'display-capture',
    'screen-wake-lock',
    'xr-spatial-tracking',
    'publickey-credentials-get',
    'browsing-topics',
  ].map((feature) => `${feature}=()`),
].join(', ')

/** Security headers on every response (pages, files, API answers and errors alike). */
export default fp(
  async function securityHeaders(app) {
    await app.register(helmet, {
      contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    })
    app.addHook('onRequest', async (request, reply) => {
      reply.header('permissions-policy', PERMISSIONS_POLICY)
      // API answers (batches, tokens, who is signed in) must not linger in any cache.
      if (isApiRequest(request)) reply.header('cache-control', 'no-store')
    })
  },
  { name: 'security-headers' },
)
