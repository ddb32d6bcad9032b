// The shared package names WebCrypto's global types (as the browser's lib.dom does). Node 20 has them
// at runtime, but @types/node 20 declares them only under node:crypto; alias them rather than pull
// lib.dom (document, window, …) into server code.
import type { webcrypto } from 'node:crypto'

declare global {
  type CryptoKey = webcrypto.CryptoKey
  type CryptoKeyPair = webcrypto.CryptoKeyPair
  type JsonWebKey = webcrypto.JsonWebKey
}

export {}
