// A box office's batch, signed before any timing starts: its create body and every chunk's
// request body (signatures alone, gzip or plain JSON), packed into one buffer so that it crosses from the signing
// thread without a copy.
import type { CreateBatchBody, CreateEventBody } from '@boxoffice/tickets'
import type { ChunkEncoding } from './options.ts'

export interface PreparedBatch {
  /** The office's event and ticket type, created before the batch. */
  eventBody: CreateEventBody
  body: CreateBatchBody
  encoding: ChunkEncoding
  /** Every chunk's request body, back to back. */
  bytes: Uint8Array
  /** Chunk `i`'s body is `bytes[offsets[i] … offsets[i + 1])`. */
  offsets: Uint32Array
  /** The same chunks as plain JSON, in bytes (to compare with). */
  plainBytes: number
}

export function chunkCountOf(batch: PreparedBatch): number {
  return batch.offsets.length - 1
}

export function chunkBody(batch: PreparedBatch, index: number): Uint8Array {
  return batch.bytes.subarray(batch.offsets[index]!, batch.offsets[index + 1]!)
}

/** Packs chunk bodies into one PreparedBatch. */
export function packBatch(
  eventBody: CreateEventBody,
  body: CreateBatchBody,
  encoding: PreparedBatch['encoding'],
  chunks: Uint8Array[],
  plainBytes: number,
): PreparedBatch {
  const offsets = new Uint32Array(chunks.length + 1)
  for (const [index, chunk] of chunks.entries()) offsets[index + 1] = offsets[index]! + chunk.length
  const bytes = new Uint8Array(offsets[chunks.length]!)
  for (const [index, chunk] of chunks.entries()) bytes.set(chunk, offsets[index]!)
  return { eventBody, body, encoding, bytes, offsets, plainBytes }
}
