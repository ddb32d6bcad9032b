// Accepting a run of consecutive chunks in one request (PUT /api/batches/:id/chunks/:first-:last):
// the chunk stays the unit of digest, idempotency and acknowledgement. Each chunk of the run goes
// through exactly the checks and the commit a single upload of it would (ingestChunk), in its own
// transaction, and gets the answer that upload would have got; a refused chunk does not undo its
// neighbours, and a chunk is reported acknowledged only once its own commit has returned. What is
// shared is the request: routing, the session, the body, the answer.
import {
  CHUNK_SIZE,
  MAX_RUN_CHUNKS,
  SIGNATURE_LENGTH,
  chunkCount,
  chunkSerialRange,
  formatRanges,
  type ChunkRunResult,
} from '@boxoffice/tickets'
import type { SignedInAccount } from '../auth/sessions.ts'
import { assertCanChange } from '../batches/batch-access.ts'
import { ChunkIndexOutOfRange, InvalidRequest, type ErrorResponse } from '../errors.ts'
import { ingestChunk, type ChunkIngestDeps } from './chunk-ingest.ts'

export interface RunUpload {
  batchId: string
  first: number
  last: number
  /** Every chunk's signatures, back to back, in index order. */
  signatures: Uint8Array
}

/**
 * Splits the body into its chunks by the batch's own chunk sizes, then ingests them all at once
 * (their signatures are checked side by side in the verification pool; their commits take turns
 * in the database). Errors that concern the whole request (the batch, its owner, the run's shape)
 * are thrown, to be answered as the request's status; each chunk's own refusal is its result.
 */
export async function ingestChunkRun(
  deps: ChunkIngestDeps,
  upload: RunUpload,
  account: SignedInAccount,
  describeError: (error: unknown, index: number) => ErrorResponse,
): Promise<ChunkRunResult[]> {
  const { batchId, first, last } = upload
  if (last < first) throw new InvalidRequest(`a run goes from its first chunk to its last: ${first}-${last} is backwards`)
  if (last - first + 1 > MAX_RUN_CHUNKS)
    throw new InvalidRequest(`a run carries at most ${MAX_RUN_CHUNKS} chunks; ${first}-${last} is ${last - first + 1}`)
  const batch = await deps.repository.getBatch(batchId)
  assertCanChange(batch, batchId, account)
  const count = chunkCount(batch.quantity)
  if (last >= count) {
    throw new ChunkIndexOutOfRange(
      `chunk index ${last} is out of range: a batch of ${batch.quantity.toLocaleString('en-US')} tickets has chunks ${formatRanges([[0, count - 1]])}`,
    )
  }

  const expectedBytes = Array.from({ length: last - first + 1 }, (_, i) => {
    const [from, to] = chunkSerialRange(first + i, batch.quantity)
    return (to - from + 1) * SIGNATURE_LENGTH
  })
  const total = expectedBytes.reduce((sum, bytes) => sum + bytes, 0)
  if (upload.signatures.length !== total) {
    throw new InvalidRequest(
      `chunks ${first}-${last} of this batch hold ${total / SIGNATURE_LENGTH} tickets, ${total} bytes of signatures; got ${upload.signatures.length} bytes`,
    )
  }

  let offset = 0
  const parts = expectedBytes.map((bytes, i) => {
    const part = { index: first + i, signatures: upload.signatures.subarray(offset, offset + bytes) }
    offset += bytes
    return part
  })
  return Promise.all(
    parts.map(async ({ index, signatures }): Promise<ChunkRunResult> => {
      try {
        return { index, status: 200, ack: await ingestChunk(deps, batchId, index, { signatures }, account) }
      } catch (error) {
        const { status, retryAfterSeconds, ...body } = describeError(error, index)
        return { index, status, error: body, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) }
      }
    }),
  )
}

/** The largest run body: MAX_RUN_CHUNKS full chunks of signatures. */
export const RUN_BODY_LIMIT = MAX_RUN_CHUNKS * CHUNK_SIZE * SIGNATURE_LENGTH
