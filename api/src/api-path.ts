import type { FastifyRequest } from 'fastify'

/** True for /api and everything under it (the API); anything else belongs to the web app. */
export function isApiPath(url: string): boolean {
  return url === '/api' || url.startsWith('/api/') || url.startsWith('/api?')
}

/**
 * Whether the API answers this request: the route the router matched is an API route (it matches
 * after decoding the path, so `/%61pi/batches` is `/api/batches`), or the raw path is an API path
 * (an unknown `/api/…` matches the web app's wildcard route, and the not-found handler answers it).
 */
export function isApiRequest(request: FastifyRequest): boolean {
  const route = request.routeOptions.url
  return isApiPath(request.url) || (route !== undefined && isApiPath(route))
}
