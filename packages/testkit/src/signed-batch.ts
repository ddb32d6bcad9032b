// A batch signed up front, before any timing starts, as the browser would sign it (the same
// signChunk), with each chunk in both upload forms; and its upload with N requests in flight.
import {
  SIGNATURE_CHUNK_MEDIA_TYPE,
  chunkCount,
  chunkSerialRange,
  createSignatureSigner,
  exportPublicKey,
  generateBatchKeyPair,
  tokensFromSignatures,
  MAX_CAPACITY,
  type CreateBatchBody,
  type CreateEventBody,
} from '@boxoffice/tickets'
import { signChunk } from '../../../web/src/batches/core/generation-run.ts'

export interface PreparedBatch {
  /** The event the batch is made for, with its one ticket type (room for any batch): POST /api/events before the batch. */
  eventBody: CreateEventBody
  body: CreateBatchBody
  /** Each chunk's JSON body, signed before any timing starts. */
  chunks: string[]
  /** Each chunk's signature body (64 bytes a ticket), as the browser sends it. */
  signatures: Uint8Array<ArrayBuffer>[]
}

/** The two forms a chunk upload can take (docs/api.md). */
export type ChunkForm = 'signatures' | 'json'

export async function prepareSignedBatch(quantity: number, event = 'Ingest benchmark'): Promise<PreparedBatch> {
  const keys = await generateBatchKeyPair()
  const ticketType = 'General admission'
  const eventBody: CreateEventBody = {
    id: crypto.randomUUID(),
    name: event,
    startsAt: '2026-12-31T20:00',
    timeZone: 'UTC',
    venue: '',
    ticketTypes: [{ id: crypto.randomUUID(), name: ticketType, price: { amountMinor: 2500, currency: 'EUR' }, capacity: MAX_CAPACITY }],
  }
  const body: CreateBatchBody = {
    id: crypto.randomUUID(),
    ticketTypeId: eventBody.ticketTypes[0]!.id,
    quantity,
    publicKey: await exportPublicKey(keys.publicKey),
  }
  const signer = createSignatureSigner(keys.privateKey, { batchId: body.id, ticketType })
  const chunks: string[] = []
  const signatures: Uint8Array<ArrayBuffer>[] = []
  for (let index = 0; index < chunkCount(quantity); index++) {
    const [first, last] = chunkSerialRange(index, quantity)
    const signed = await signChunk(signer, first, last + 1)
    const tokens = tokensFromSignatures({ batchId: body.id, ticketType }, first, signed)
    chunks.push(JSON.stringify({ tickets: tokens.map((token, i) => ({ serial: first + i, token })) }))
    signatures.push(signed)
  }
  return { eventBody, body, chunks, signatures }
}

/** PUTs every chunk with `inFlight` requests at once and completes the batch; returns tickets/s. */
export async function uploadPrepared(
  baseURL: string,
  headers: Record<string, string>,
  batch: PreparedBatch,
  inFlight: number,
  form: ChunkForm = 'signatures',
): Promise<number> {
  const send = async (method: string, path: string, body?: string | Uint8Array<ArrayBuffer>) => {
    const contentType = typeof body === 'string' || body === undefined ? 'application/json' : SIGNATURE_CHUNK_MEDIA_TYPE
    const response = await fetch(`${baseURL}/api${path}`, { method, headers: { ...headers, 'content-type': contentType }, body })
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`)
    await response.arrayBuffer()
  }
  await send('POST', '/events', JSON.stringify(batch.eventBody))
  await send('POST', '/batches', JSON.stringify(batch.body))
  const started = performance.now()
  let next = 0
  const lane = async () => {
    while (next < batch.chunks.length) {
      const index = next++
      await send('PUT', `/batches/${batch.body.id}/chunks/${index}`, form === 'json' ? batch.chunks[index] : batch.signatures[index])
    }
  }
  await Promise.all(Array.from({ length: inFlight }, lane))
  await send('POST', `/batches/${batch.body.id}/complete`, '{}')
  return batch.body.quantity / ((performance.now() - started) / 1000)
}
