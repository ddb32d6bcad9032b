// What the server holds for a batch, read past the API from its database (SQLite or PostgreSQL,
// on a connection of its own beside the running server), every token checked against the batch's
// public key: the "exact" every reliability test ends on.
import { createPublicKey, verify } from 'node:crypto'
import { decodeToken } from '@boxoffice/tickets'
import { openInspection, type DatabaseInspection } from '../../../api/src/db/database-inspection.ts'
import type { CheckinRecord } from '../../../api/src/db/checkin-repository.ts'
import type { StorageConfig } from '../../../api/src/db/storage.ts'

export interface ServerTicketReport {
  count: number
  distinctSerials: number
  missingSerials: number
  outOfRange: number
  badTokens: number
  state: string | undefined
}

async function withInspection<T>(database: StorageConfig, work: (inspection: DatabaseInspection) => Promise<T>): Promise<T> {
  const inspection = await openInspection(database)
  try {
    return await work(inspection)
  } finally {
    await inspection.close()
  }
}

/** Serial ranges wide enough to take in any serial a faulty server might have stored. */
const EVERY_SERIAL: [number, number] = [-(2 ** 31), 2 ** 31 - 1]

export function inspectServerTickets(database: StorageConfig, batchId: string, quantity: number): Promise<ServerTicketReport> {
  return withInspection(database, async ({ storage }) => {
    const batch = await storage.tickets.getBatch(batchId)
    const seen = new Uint8Array(quantity)
    let count = 0
    let distinctSerials = 0
    let outOfRange = 0
    let badTokens = 0
    const key = batch && createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: batch.publicKey }, format: 'jwk' })
    for await (const page of storage.tickets.streamTickets(batchId, EVERY_SERIAL, 5_000)) {
      for (const { serial, token } of page) {
        count++
        if (serial < 0 || serial >= quantity) outOfRange++
        else if (seen[serial] === 0) {
          seen[serial] = 1
          distinctSerials++
        }
        const decoded = decodeToken(token)
        const valid =
          key &&
          decoded.ok &&
          decoded.payload.serial === serial &&
          decoded.payload.batchId === batchId &&
          verify(null, decoded.signedBytes, key, decoded.signature)
        if (!valid) badTokens++
      }
    }
    return { count, distinctSerials, missingSerials: quantity - distinctSerials, outOfRange, badTokens, state: batch?.state }
  })
}

/** What an exact batch looks like: N tickets, serials 0…N−1 once each, every token verifying. */
export function exactReport(quantity: number, state = 'completed'): ServerTicketReport {
  return { count: quantity, distinctSerials: quantity, missingSerials: 0, outOfRange: 0, badTokens: 0, state }
}

/** Every token of a batch by serial. */
export function batchTokens(database: StorageConfig, batchId: string): Promise<string[]> {
  return withInspection(database, async ({ storage }) => {
    const tokens: string[] = []
    for await (const page of storage.tickets.streamTickets(batchId, EVERY_SERIAL)) tokens.push(...page.map((ticket) => ticket.token))
    return tokens
  })
}

/** The chunk indexes the server has committed for a batch. */
export function committedChunkIndexes(database: StorageConfig, batchId: string): Promise<number[]> {
  return withInspection(database, async ({ storage }) =>
    (await storage.tickets.committedChunkRanges(batchId)).flatMap(([first, last]) =>
      Array.from({ length: last - first + 1 }, (_, i) => first + i),
    ),
  )
}

/** Rows in the tickets table, every batch. */
export function countStoredTickets(database: StorageConfig): Promise<number> {
  return withInspection(database, (inspection) => inspection.countRows('tickets'))
}

export interface ServerBatch {
  event: string
  ticketType: string
  price: { amountMinor: number; currency: string }
  publicKey: string
  /** Every ticket the server holds, by serial. */
  tickets: { serial: number; token: string }[]
}

/** A batch and its tickets as the server's database holds them. */
export function readServerBatch(database: StorageConfig, batchId: string): Promise<ServerBatch> {
  return withInspection(database, async ({ storage }) => {
    const batch = await storage.tickets.getBatch(batchId)
    if (!batch) throw new Error(`batch ${batchId} is not in the server's database`)
    const tickets: { serial: number; token: string }[] = []
    for await (const page of storage.tickets.streamTickets(batchId, EVERY_SERIAL)) tickets.push(...page)
    return {
      event: batch.event,
      ticketType: batch.ticketType,
      price: { amountMinor: batch.priceMinor, currency: batch.currency },
      publicKey: batch.publicKey,
      tickets,
    }
  })
}

/** The server's check-ins of a batch, by serial. */
export function serverCheckins(database: StorageConfig, batchId: string): Promise<CheckinRecord[]> {
  return withInspection(database, (inspection) => inspection.checkins(batchId))
}

/** Expires the session whose cookie token is `token` (or every session), as time would; returns how many. */
export function expireSessions(database: StorageConfig, tokenHash?: string): Promise<number> {
  return withInspection(database, (inspection) => inspection.setSessionTimes({ expiresAt: '2000-01-01T00:00:00.000Z' }, tokenHash))
}

/** Whether `token` is a well-formed token for this batch and serial, signed by the batch's key (base64url Ed25519). */
export function tokenVerifies(token: string, batchId: string, serial: number, publicKey: string): boolean {
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey }, format: 'jwk' })
  const decoded = decodeToken(token)
  return (
    decoded.ok &&
    decoded.payload.serial === serial &&
    decoded.payload.batchId === batchId &&
    verify(null, decoded.signedBytes, key, decoded.signature)
  )
}
