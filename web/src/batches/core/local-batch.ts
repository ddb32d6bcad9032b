import type { CreateBatchBody, Price } from '@boxoffice/tickets'

/** What a user asks for; the worker adds the id and the key. */
export interface BatchRequest {
  event: string
  ticketType: string
  price: Price
  quantity: number
}

/** A batch as this browser keeps it until the server holds all of it. */
export interface LocalBatch extends BatchRequest {
  id: string
  publicKey: string
  createdAt: string
  /** Tickets staged so far (serials 0 … generatedCount−1 have been generated). */
  generatedCount: number
  /** The server has accepted the batch's creation. */
  registered: boolean
  /** Set by the user; a paused batch does not resume by itself after a reload. */
  paused: boolean
  /** Why the batch stopped, when the server refused something for good. */
  failure?: BatchFailure
}

export interface BatchFailure {
  message: string
  code?: string
  chunkIndex?: number
  serialRange?: [number, number]
}

export function creationBody(batch: LocalBatch): CreateBatchBody {
  return {
    id: batch.id,
    event: batch.event,
    ticketType: batch.ticketType,
    price: batch.price,
    quantity: batch.quantity,
    publicKey: batch.publicKey,
  }
}
