// The ticket worker's browser services behind the core's ports: network reachability
// (navigator.onLine), Web Locks, and WebCrypto keys.
import { createSignatureSigner, exportPublicKey, generateBatchKeyPair } from '@boxoffice/tickets'
import { abortable } from '../../shared/core/abort.ts'
import type { BatchKeys, BatchLocks, Connectivity } from '../ports.ts'

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

/** navigator.locks: a lock per batch name, shared by every tab of this origin. */
export const webLocks: BatchLocks = {
  hold(name, signal, onHeldElsewhere, task) {
    return navigator.locks.request(name, { ifAvailable: true }, async (lock) => {
      if (lock) return task()
      onHeldElsewhere()
      return navigator.locks.request(name, { signal }, task)
    })
  },
}

/** Ed25519 through WebCrypto; the private key is non-extractable. */
export const webCryptoKeys: BatchKeys = {
  newBatchId: () => crypto.randomUUID(),
  async generateKeys() {
    const keys = await generateBatchKeyPair()
    return { publicKey: await exportPublicKey(keys.publicKey), privateKey: keys.privateKey }
  },
  signer: (batch) => createSignatureSigner(batch.privateKey, { batchId: batch.id, ticketType: batch.ticketType }),
}
