import { CHUNK_SIZE, chunkCount, type BatchIdentity, type BatchStatus, type BatchSummary, type Range } from '@boxoffice/tickets'
import type { BatchRecord } from '../db/ticket-repository.ts'

export function toBatchIdentity(batch: BatchRecord): BatchIdentity {
  return {
    id: batch.id,
    eventId: batch.eventId,
    ticketTypeId: batch.ticketTypeId,
    event: batch.event,
    ticketType: batch.ticketType,
    price: { amountMinor: batch.priceMinor, currency: batch.currency },
    quantity: batch.quantity,
    publicKey: batch.publicKey,
    state: batch.state,
  }
}

export function toBatchSummary(batch: BatchRecord): BatchSummary {
  return {
    ...toBatchIdentity(batch),
    chunkSize: CHUNK_SIZE,
    chunkCount: chunkCount(batch.quantity),
    chunksReceived: batch.chunksReceived,
    ticketsReceived: batch.ticketsReceived,
    createdAt: batch.createdAt,
    finishedAt: batch.finishedAt,
    createdBy: batch.createdByUsername,
    revokedAt: batch.revokedAt,
  }
}

export function toBatchStatus(batch: BatchRecord, committedChunks: Range[]): BatchStatus {
  return { ...toBatchSummary(batch), committedChunks }
}
