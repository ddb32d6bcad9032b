import type { CreateBatchBody, Price } from '@boxoffice/tickets'

/** What a user asks for; the worker adds the id and the key. */
export interface BatchRequest {
  /** The ticket type the batch is made for, and its event; absent on batches staged before events. */
  eventId?: string
  ticketTypeId?: string
  /** Their names and the type's price, for display; the tokens are signed with `ticketType`. */
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
  if (!batch.ticketTypeId) throw new StagedBeforeEventsError(batch.id)
  return { id: batch.id, ticketTypeId: batch.ticketTypeId, quantity: batch.quantity, publicKey: batch.publicKey }
}

/** A batch this browser staged before events existed and never registered: the server cannot take it. */
export class StagedBeforeEventsError extends Error {
  constructor(readonly batchId: string) {
    super('This batch was started before events existed and never reached the server. Discard it and create it again for an event.')
  }
}
