// A registered gate device's key (docs/api.md, "Gate devices"): kept in local storage by
// app/device-link.ts and sent by request.ts on every API call instead of a session cookie, so
// nobody types a person's password at the gate. Read here without the DOM's types, because the
// ticket worker (which has no local storage, and never runs on a gate device) shares request.ts.

export const DEVICE_KEY_STORAGE = 'boxoffice-device-key'

interface KeyStore {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

/** Where the key is kept: local storage on a page, nowhere in a worker or when storage is refused. */
export function keyStore(): KeyStore | undefined {
  try {
    return (globalThis as { localStorage?: KeyStore }).localStorage
  } catch {
    return undefined
  }
}

/** The key, on a registered device; null elsewhere. */
export function deviceKey(): string | null {
  try {
    return keyStore()?.getItem(DEVICE_KEY_STORAGE) ?? null
  } catch {
    return null
  }
}
