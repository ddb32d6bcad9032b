// The link an admin hands a gate device, `/#device=<key>` (admin/components/DevicesPanel.svelte),
// and forgetting it again.
import { DEVICE_KEY_STORAGE, keyStore } from '../shared/io/device-key.ts'

const LINK = /^#device=([A-Za-z0-9_-]{43})$/

/** Takes the key from a device link in `location`, keeps it, and moves on to the Check-in page. */
export function adoptDeviceLink(location: Location, history: History): void {
  const key = LINK.exec(location.hash)?.[1]
  if (!key) return
  try {
    keyStore()?.setItem(DEVICE_KEY_STORAGE, key)
  } catch {
    // Storage refused (private mode): the link cannot make this browser a device.
  }
  // The key leaves the address bar and the history, so a screenshot or a bookmark does not share it.
  history.replaceState(null, '', `${location.pathname}${location.search}#checkin`)
}

/** "Forget this device": the browser goes back to signing in with a password. */
export function forgetDeviceKey(): void {
  try {
    keyStore()?.removeItem(DEVICE_KEY_STORAGE)
  } catch {
    // Nothing was kept.
  }
}
