// Plugs the real edges (IndexedDB, fetch, navigator, timers, camera) into the Check-in state; the
// app shell passes in how the app is kept for offline use (app/offline-shell.ts).
import { CheckinState } from '../state/checkin-state.svelte.ts'
import { localAdmittedEvent } from './admitted-event.ts'
import { cameraScanSupported } from './camera-scanner.ts'
import { IndexedDbCheckinStore } from './checkin-db.ts'
import { httpCheckinServer } from './checkin-server.ts'

export interface OfflineShell {
  /** Keeps the built app for a reload without network; false where the browser cannot. */
  keep(): Promise<boolean>
  /** Whether an earlier visit already did. */
  kept(): Promise<boolean>
}

export function createCheckinState(onSessionEnded: () => void, shell: OfflineShell): CheckinState {
  const state: CheckinState = new CheckinState({
    store: new IndexedDbCheckinStore({ onNotice: (message) => (state.storageNotice = message) }),
    server: httpCheckinServer,
    isOnline: () => navigator.onLine,
    watchConnectivity(listener) {
      addEventListener('online', listener)
      addEventListener('offline', listener)
      return () => {
        removeEventListener('online', listener)
        removeEventListener('offline', listener)
      }
    },
    repeat(ms, task) {
      const timer = setInterval(task, ms)
      return () => clearInterval(timer)
    },
    now: () => new Date(),
    onSessionEnded,
    keepAppForOffline() {
      // Check-ins waiting to sync must not be evicted under storage pressure. Not awaited: the
      // browser may sit on the request, and preparing must not wait for it.
      void navigator.storage?.persist?.().catch(() => false)
      return shell.keep()
    },
    appKeptForOffline: () => shell.kept(),
    cameraScanSupported,
    admitted: localAdmittedEvent,
  })
  return state
}
