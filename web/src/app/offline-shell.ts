// Asks the browser to keep the built app for offline use (web/src/app/service-worker.ts).

const SCRIPT = '/service-worker.js'

function settled(worker: ServiceWorker): Promise<boolean> {
  return new Promise((resolve) => {
    const check = () => {
      if (worker.state === 'activated') resolve(true)
      else if (worker.state === 'redundant') resolve(false)
    }
    worker.addEventListener('statechange', check)
    check()
  })
}

/**
 * Resolves true once a service worker holds the app in its cache, so a reload without network
 * still opens the page; false where that cannot be had (no service workers, the Vite dev server,
 * or its files failed to download).
 */
export async function keepAppForOffline(): Promise<boolean> {
  if (!('serviceWorker' in navigator)) return false
  try {
    const registration = await navigator.serviceWorker.register(SCRIPT, { scope: '/' })
    // An active worker already holds a complete copy (install is all or nothing); an update installs beside it.
    if (registration.active) return true
    const incoming = registration.installing ?? registration.waiting
    return incoming ? await settled(incoming) : false
  } catch {
    return false
  }
}

/** Whether an earlier visit already did so (without registering anything now). */
export async function appKeptForOffline(): Promise<boolean> {
  if (!('serviceWorker' in navigator)) return false
  const registration = await navigator.serviceWorker.getRegistration('/').catch(() => undefined)
  return Boolean(registration?.active)
}
