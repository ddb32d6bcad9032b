import { createPublicKey, verify } from 'node:crypto'
import Database from 'better-sqlite3'
import { decodeToken } from '@boxoffice/tickets'

export interface ServerTicketReport {
  count: number
  distinctSerials: number
  missingSerials: number
  outOfRange: number
  badTokens: number
  state: string | undefined
}

/**
 * Reads what the server holds for a batch straight from its SQLite file (read-only, beside the
 * running API thanks to WAL) and checks every token against the batch's public key.
 */
export function inspectServerTickets(dbPath: string, batchId: string, quantity: number): ServerTicketReport {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true })
  try {
    const batch = db.prepare('SELECT public_key AS publicKey, state FROM batches WHERE id = ?').get(batchId) as { publicKey: string; state: string } | undefined
    const rows = db.prepare('SELECT serial, token FROM tickets WHERE batch_id = ? ORDER BY serial').all(batchId) as { serial: number; token: string }[]
    const seen = new Uint8Array(quantity)
    let distinctSerials = 0
    let outOfRange = 0
    let badTokens = 0
    const key = batch && createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: batch.publicKey }, format: 'jwk' })
    for (const { serial, token } of rows) {
      if (serial < 0 || serial >= quantity) outOfRange++
      else if (seen[serial] === 0) {
        seen[serial] = 1
        distinctSerials++
      }
      const decoded = decodeToken(token)
      const valid = key && decoded.ok && decoded.payload.serial === serial && decoded.payload.batchId === batchId && verify(null, decoded.signedBytes, key, decoded.signature)
      if (!valid) badTokens++
    }
    return { count: rows.length, distinctSerials, missingSerials: quantity - distinctSerials, outOfRange, badTokens, state: batch?.state }
  } finally {
    db.close()
  }
}

/** What an exact batch looks like: N tickets, serials 0…N−1 once each, every token verifying. */
export function exactReport(quantity: number, state = 'completed'): ServerTicketReport {
  return { count: quantity, distinctSerials: quantity, missingSerials: 0, outOfRange: 0, badTokens: 0, state }
}

/** Every token of a batch by serial, from the server's SQLite file. */
export function batchTokens(dbPath: string, batchId: string): string[] {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true })
  try {
    return db.prepare('SELECT token FROM tickets WHERE batch_id = ? ORDER BY serial').pluck().all(batchId) as string[]
  } finally {
    db.close()
  }
}

/** The chunk indexes the server has committed for a batch, read straight from its SQLite file. */
export function committedChunkIndexes(dbPath: string, batchId: string): number[] {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true })
  try {
    return db.prepare('SELECT chunk_index FROM chunks WHERE batch_id = ? ORDER BY chunk_index').pluck().all(batchId) as number[]
  } finally {
    db.close()
  }
}

export interface ServerBatch {
  event: string
  ticketType: string
  price: { amountMinor: number; currency: string }
  publicKey: string
  /** Every ticket the server holds, by serial. */
  tickets: { serial: number; token: string }[]
}

/** A batch and its tickets as the server's SQLite file holds them (read-only). */
export function readServerBatch(dbPath: string, batchId: string): ServerBatch {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true })
  try {
    const batch = db
      .prepare('SELECT event, ticket_type AS ticketType, price_minor AS amountMinor, currency, public_key AS publicKey FROM batches WHERE id = ?')
      .get(batchId) as { event: string; ticketType: string; amountMinor: number; currency: string; publicKey: string } | undefined
    if (!batch) throw new Error(`batch ${batchId} is not in ${dbPath}`)
    const tickets = db.prepare('SELECT serial, token FROM tickets WHERE batch_id = ? ORDER BY serial').all(batchId) as { serial: number; token: string }[]
    const { amountMinor, currency, ...rest } = batch
    return { ...rest, price: { amountMinor, currency }, tickets }
  } finally {
    db.close()
  }
}

/** Whether `token` is a well-formed token for this batch and serial, signed by the batch's key (base64url Ed25519). */
export function tokenVerifies(token: string, batchId: string, serial: number, publicKey: string): boolean {
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey }, format: 'jwk' })
  const decoded = decodeToken(token)
  return decoded.ok && decoded.payload.serial === serial && decoded.payload.batchId === batchId && verify(null, decoded.signedBytes, key, decoded.signature)
}
