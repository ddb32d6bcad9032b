import { abortable } from '../../shared/core/abort.ts'
import type { Connectivity } from '../ports.ts'

/** How often navigator.onLine is polled while offline, for browsers that do not fire 'online' in workers. */
const ONLINE_POLL_MS = 1_000

/** navigator.onLine, the 'online' event, and a slow poll of onLine as a fallback. */
export const browserConnectivity: Connectivity = {
  isOnline: () => navigator.onLine,
  waitUntilOnline(signal) {
    return abortable(signal, (resolve) => {
      if (navigator.onLine) {
        resolve()
        return () => {}
      }
      const onOnline = () => resolve()
      const poll = setInterval(() => navigator.onLine && resolve(), ONLINE_POLL_MS)
      addEventListener('online', onOnline)
      return () => {
        removeEventListener('online', onOnline)
        clearInterval(poll)
      }
    })
  },
  sleep(ms, signal) {
    return abortable(signal, (resolve) => {
      const timer = setTimeout(resolve, ms)
      return () => clearTimeout(timer)
    })
  },
  now: () => performance.now(),
}
