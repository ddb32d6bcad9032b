import { existsSync } from 'node:fs'
import { join } from 'node:path'
import fastifyStatic from '@fastify/static'
import fp from 'fastify-plugin'
import { isApiPath } from '../api-path.ts'
import { sendRouteNotFound } from '../errors.ts'

export interface WebAppOptions {
  /** The built browser app (web/dist). When absent or unbuilt, `/` explains how to build it. */
  webDist?: string
}

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en">
<meta charset="utf-8">
<title>Boxoffice</title>
<h1>Boxoffice</h1>
<p>The web app is not built. Run <code>pnpm build</code> and restart the server.</p>
<p>The API is available under <a href="/api/health"><code>/api</code></a>.</p>
</html>
`

/**
 * Whether a request asks for a source map. The production build makes none (web/vite.config.ts),
 * and one left in the folder by a development build must not be served either: it would publish
 * the source. Decoded first, as the static-file plugin decodes it (`.%6Dap` is `.map`).
 */
export function isSourceMapPath(url: string): boolean {
  const path = url.split('?')[0]!
  let decoded = path
  try {
    decoded = decodeURIComponent(path)
  } catch {
    // Bad percent-encoding: judged as sent.
  }
  return decoded.toLowerCase().endsWith('.map')
}

/** Serves the single-page app: files as they are, any other page path as index.html. */
export default fp<WebAppOptions>(
  async function webApp(app, { webDist }) {
    app.addHook('onRequest', async (request, reply) => {
      if (!isApiPath(request.url) && isSourceMapPath(request.url)) return sendRouteNotFound(request, reply)
    })
    const built = webDist !== undefined && existsSync(join(webDist, 'index.html'))
    if (built) {
      await app.register(fastifyStatic, { root: webDist, prefix: '/' })
    } else {
      app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(NOT_BUILT_PAGE))
    }

    app.setNotFoundHandler(async (request, reply) => {
      const isPage = request.method === 'GET' || request.method === 'HEAD'
      if (!isPage || isApiPath(request.url)) return sendRouteNotFound(request, reply)
      if (built) return reply.type('text/html; charset=utf-8').sendFile('index.html')
      return reply.code(404).type('text/html; charset=utf-8').send(NOT_BUILT_PAGE)
    })
  },
  { name: 'web-app' },
)
