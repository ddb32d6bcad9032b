import type { Connectivity } from '../ports.ts'

/** How often navigator.onLine is polled while offline, for browsers that do not fire 'online' in workers. */
const ONLINE_POLL_MS = 1_000

/** navigator.onLine, the 'online' event, and a slow poll of onLine as a fallback. */
export const browserConnectivity: Connectivity = {
  isOnline: () => navigator.onLine,
  waitUntilOnline(signal) {
    return new Promise<void>((resolve, reject) => {
      if (navigator.onLine) return resolve()
      const finish = (settle: () => void) => {
        removeEventListener('online', onOnline)
        signal.removeEventListener('abort', onAbort)
        clearInterval(poll)
        settle()
      }
      const onOnline = () => finish(resolve)
      const onAbort = () => finish(() => reject(signal.reason))
      const poll = setInterval(() => navigator.onLine && onOnline(), ONLINE_POLL_MS)
      addEventListener('online', onOnline)
      signal.addEventListener('abort', onAbort, { once: true })
    })
  },
  sleep(ms, signal) {
    return new Promise<void>((resolve, reject) => {
      signal.throwIfAborted()
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort)
        resolve()
      }, ms)
      const onAbort = () => {
        clearTimeout(timer)
        reject(signal.reason)
      }
      signal.addEventListener('abort', onAbort, { once: true })
    })
  },
  now: () => performance.now(),
}
