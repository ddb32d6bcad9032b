// Keeps the built app (index.html, scripts, styles, the ticket worker) in Cache Storage, so that a
// gate device that reloads while offline still opens the Check-in page; the check-ins and the kit
// are in IndexedDB. Registered only once staff prepare for offline (web/src/app/offline-shell.ts).
//
// - Pages: the network first, the cached index.html when the network fails. The cached one always
//   matches the cached scripts: both come from the build this worker was made with.
// - Built files: from the cache (their names carry content hashes, so a cached one is never stale).
// - /api: never touched. Where the browser has the Static Routing API they bypass this worker
//   entirely, so uploads do not wake it for every chunk.
//
// A new build is a new worker (its file list differs); it takes over once no tab runs the old one.

// Written into the built file by web/vite-plugins/app-shell-service-worker.ts.
declare const APP_SHELL_FILES: readonly string[]
declare const APP_SHELL_VERSION: string

const serviceWorker = self as unknown as ServiceWorkerGlobalScope
const SHELL_CACHE = `boxoffice-shell-${APP_SHELL_VERSION}`
const SHELL_PREFIX = 'boxoffice-shell-'
const INDEX = '/index.html'
const shellFiles = new Set(APP_SHELL_FILES)

interface StaticRoutes {
  addRoutes?(rules: { condition: { urlPattern: string }; source: 'network' }[]): Promise<void>
}

/** A browser without static routes (or one that refuses the rule) still works: the fetch handler passes /api by. */
function routeApiPastThisWorker(event: ExtendableEvent & StaticRoutes): Promise<unknown> {
  try {
    return event.addRoutes?.([{ condition: { urlPattern: '/api/*' }, source: 'network' }]).catch(() => undefined) ?? Promise.resolve()
  } catch {
    return Promise.resolve()
  }
}

serviceWorker.addEventListener('install', (event) => {
  // Routes can only be added while the install event is dispatched, so before anything is awaited.
  const routing = routeApiPastThisWorker(event)
  event.waitUntil(
    (async () => {
      await routing
      // All or nothing: a failed download leaves this worker uninstalled, and the page says so.
      await (await caches.open(SHELL_CACHE)).addAll([INDEX, ...APP_SHELL_FILES])
    })(),
  )
})

serviceWorker.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name.startsWith(SHELL_PREFIX) && name !== SHELL_CACHE) await caches.delete(name)
      await serviceWorker.clients.claim()
    })(),
  )
})

async function pageFromNetworkOrShell(request: Request): Promise<Response> {
  try {
    return await fetch(request)
  } catch (error) {
    const cached = await caches.match(INDEX, { cacheName: SHELL_CACHE })
    if (cached) return cached
    throw error
  }
}

async function builtFile(request: Request): Promise<Response> {
  return (await caches.match(request, { cacheName: SHELL_CACHE })) ?? fetch(request)
}

serviceWorker.addEventListener('fetch', (event) => {
  const { request } = event
  if (request.method !== 'GET') return
  const url = new URL(request.url)
  if (url.origin !== serviceWorker.location.origin || url.pathname.startsWith('/api/')) return
  if (request.mode === 'navigate') event.respondWith(pageFromNetworkOrShell(request))
  else if (shellFiles.has(url.pathname)) event.respondWith(builtFile(request))
})
