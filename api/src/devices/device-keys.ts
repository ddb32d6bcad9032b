// A gate device's credential: a random key, shown once to the admin who registers it (as a link
// and QR code), sent by the device as `Authorization: Device <key>`. The database keeps only its
// SHA-256, like session tokens, so a copy of the database lets no one act as a device.
import { createHash, randomBytes } from 'node:crypto'
import type { FastifyRequest } from 'fastify'

export const DEVICE_AUTH_SCHEME = 'Device'
const KEY_PATTERN = /^[A-Za-z0-9_-]{43}$/

export function newDeviceKey(): string {
  return randomBytes(32).toString('base64url')
}

export function hashDeviceKey(key: string): string {
  return createHash('sha256').update(key).digest('hex')
}

/**
 * The device key the request carries: undefined without an Authorization header of the Device
 * scheme, null when it has one whose key cannot be one (refused like an unknown key).
 */
export function deviceKeyOf(request: FastifyRequest): string | null | undefined {
  const header = request.headers.authorization
  if (header === undefined) return undefined
  const [scheme, key, ...rest] = header.trim().split(/\s+/)
  if (scheme !== DEVICE_AUTH_SCHEME) return undefined
  return rest.length === 0 && key !== undefined && KEY_PATTERN.test(key) ? key : null
}
