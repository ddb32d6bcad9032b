// Plugs the real edges (IndexedDB, fetch, navigator, service worker, camera) into the Check-in state.
import { appKeptForOffline, keepAppForOffline } from '../../app/offline-shell.ts'
import { cameraScanSupported } from './camera-scanner.ts'
import { IndexedDbCheckinStore } from './checkin-db.ts'
import { httpCheckinServer } from './checkin-server.ts'
import { CheckinState } from '../state/checkin-state.svelte.ts'

export function createCheckinState(onSessionEnded: () => void): CheckinState {
  const state: CheckinState = new CheckinState({
    store: new IndexedDbCheckinStore({ onNotice: (message) => (state.storageNotice = message) }),
    server: httpCheckinServer,
    isOnline: () => navigator.onLine,
    watchConnectivity(listener) {
      addEventListener('online', listener)
      addEventListener('offline', listener)
    },
    now: () => new Date(),
    onSessionEnded,
    keepAppForOffline() {
      // Check-ins waiting to sync must not be evicted under storage pressure. Not awaited: the
      // browser may sit on the request, and preparing must not wait for it.
      void navigator.storage?.persist?.().catch(() => false)
      return keepAppForOffline()
    },
    appKeptForOffline,
    cameraScanSupported,
  })
  return state
}
