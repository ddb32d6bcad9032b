// A real signed batch for unit tests: a fresh Ed25519 key pair, its kit entry and tokens.
import { createBatchSigner, exportPublicKey, generateBatchKeyPair, signToken, type CheckinKitBatch } from '@boxoffice/tickets'
import type { LocalCheckin } from '../../ports.ts'

export interface SignedBatch {
  kitBatch: CheckinKitBatch
  token(serial: number): Promise<string>
  /** A token for the batch signed by another key: a forgery. */
  forged(serial: number): Promise<string>
  /** The batch's own key signing a ticket type the batch does not issue. */
  otherType(serial: number, ticketType: string): Promise<string>
}

export async function signedBatch(overrides: Partial<CheckinKitBatch> = {}): Promise<SignedBatch> {
  const keys = await generateBatchKeyPair()
  const forger = await generateBatchKeyPair()
  const id = overrides.id ?? crypto.randomUUID()
  const ticketType = overrides.ticketType ?? 'General'
  const kitBatch: CheckinKitBatch = {
    id,
    eventId: 'event-spring-gala',
    ticketTypeId: 'type-general',
    event: 'Spring Gala',
    ticketType,
    price: { amountMinor: 4500, currency: 'EUR' },
    quantity: 20,
    publicKey: await exportPublicKey(keys.publicKey),
    state: 'completed',
    revoked: false,
    revokedAt: null,
    revokedSerials: [],
    ...overrides,
  }
  const sign = createBatchSigner(keys.privateKey, { batchId: id, ticketType })
  return {
    kitBatch,
    token: sign,
    forged: (serial) => signToken(forger.privateKey, { batchId: id, serial, ticketType }),
    otherType: (serial, type) => signToken(keys.privateKey, { batchId: id, serial, ticketType: type }),
  }
}

export function localCheckin(overrides: Partial<LocalCheckin> & Pick<LocalCheckin, 'batchId' | 'serial'>): LocalCheckin {
  return { token: 'T', checkedInAt: '2026-11-29T19:00:00.000Z', sync: 'pending', ...overrides }
}
