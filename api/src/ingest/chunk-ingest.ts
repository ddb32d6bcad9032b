// Accepting one uploaded chunk. The order of the checks is part of the API contract (docs/api.md):
// an acknowledged chunk replayed byte for byte always answers 200, even after the batch is finished,
// so a client that lost the first response can safely retry.
import { CHUNK_SIZE, chunkCount, formatRanges, tokensFromSignatures, type BatchState, type ChunkAck, type Ticket } from '@boxoffice/tickets'
import type { SignedInAccount } from '../auth/sessions.ts'
import { assertCanChange } from '../batches/batch-access.ts'
import type { BatchRecord, TicketRepository } from '../db/ticket-repository.ts'
import {
  BatchNotFound,
  BatchNotOpen,
  ChunkConflict,
  ChunkIndexOutOfRange,
  ChunkSerialMismatch,
  TokenInvalid,
  withDetails,
} from '../errors.ts'
import type { ChunkVerifier, TicketProblem } from '../verification/chunk-verifier.ts'
import { chunkDigest } from './chunk-digest.ts'
import { serialMismatch } from './serial-check.ts'

const MAX_PROBLEMS_IN_DETAILS = 20

/**
 * A chunk as uploaded: JSON tickets, or the compact body of signatures alone (64 bytes a ticket,
 * serials implied by the index). Both are checked and stored alike; the same chunk has the same
 * digest in either form, so a retry may switch forms.
 */
export type ChunkUpload = { tickets: readonly Ticket[] } | { signatures: Uint8Array }

export interface ChunkIngestDeps {
  repository: TicketRepository
  verifier: ChunkVerifier
}

export async function ingestChunk(
  { repository, verifier }: ChunkIngestDeps,
  batchId: string,
  index: number,
  upload: ChunkUpload,
  account: SignedInAccount,
): Promise<ChunkAck> {
  // Ownership comes first, before even the replay check, so that another account learns nothing
  // (not even whether a digest matches) about a batch it did not create.
  const batch = await repository.getBatch(batchId)
  assertCanChange(batch, batchId, account)

  // Rebuilt from the server's own record of the batch, so the tokens can only be this batch's.
  const tickets = 'tickets' in upload ? upload.tickets : ticketsFromSignatures(batch, index, upload.signatures)

  const digest = chunkDigest(tickets.map((ticket) => ticket.token))
  const storedDigest = await repository.chunkDigest(batchId, index)
  if (storedDigest !== undefined) return answerReplay(batch, index, tickets, digest, storedDigest)

  if (batch.state !== 'open') throw notOpen(batch.id, batch.state)

  const count = chunkCount(batch.quantity)
  if (index >= count) {
    throw new ChunkIndexOutOfRange(
      `chunk index ${index} is out of range: a batch of ${batch.quantity.toLocaleString('en-US')} tickets has chunks ${formatRanges([[0, count - 1]])}`,
    )
  }

  const mismatch = serialMismatch(
    index,
    batch.quantity,
    tickets.map((ticket) => ticket.serial),
  )
  if (mismatch) throw new ChunkSerialMismatch(mismatch)

  const problems = await verifier.verifyChunk(
    { batchId: batch.id, ticketType: batch.ticketType, publicKey: batch.publicKey },
    tickets.map(({ serial, token }) => ({ serial, token })),
  )
  if (problems.length > 0) throw tokenInvalid(problems)

  // Verification yielded: an identical upload may have committed meanwhile, or the batch been
  // finished. The repository re-checks both inside the write transaction.
  const result = await repository.commitChunk({
    batchId,
    index,
    digest,
    tickets,
    committedAt: new Date().toISOString(),
  })
  switch (result.outcome) {
    case 'committed':
      return ack(result.batch, index, digest, false)
    case 'duplicate':
      return ack(result.batch, index, digest, true)
    case 'conflict':
      return answerReplay(result.batch, index, tickets, digest, result.storedDigest)
    case 'batch-not-open':
      throw notOpen(batchId, result.batch.state)
    case 'batch-not-found':
      throw new BatchNotFound(batchId)
  }
}

function ticketsFromSignatures(batch: BatchRecord, index: number, signatures: Uint8Array): Ticket[] {
  const firstSerial = index * CHUNK_SIZE
  return tokensFromSignatures({ batchId: batch.id, ticketType: batch.ticketType }, firstSerial, signatures).map((token, i) => ({
    serial: firstSerial + i,
    token,
  }))
}

function answerReplay(batch: BatchRecord, index: number, tickets: readonly Ticket[], digest: string, storedDigest: string): ChunkAck {
  if (storedDigest === digest) {
    // The digest covers the tokens only. Equal tokens are the committed tickets, but the serials
    // written beside them must still be theirs, or the body is not that chunk.
    const mismatch = serialMismatch(
      index,
      batch.quantity,
      tickets.map((ticket) => ticket.serial),
    )
    if (mismatch) throw new ChunkSerialMismatch(mismatch)
    return ack(batch, index, digest, true)
  }
  throw withDetails(new ChunkConflict(`chunk ${index} of batch ${batch.id} is already committed with different content`), {
    storedDigest,
    digest,
  })
}

function ack(batch: BatchRecord, index: number, digest: string, duplicate: boolean): ChunkAck {
  return {
    batchId: batch.id,
    index,
    digest,
    duplicate,
    chunksReceived: batch.chunksReceived,
    ticketsReceived: batch.ticketsReceived,
  }
}

function notOpen(batchId: string, state: BatchState) {
  return new BatchNotOpen(`batch ${batchId} is ${state}; it accepts no more chunks`)
}

function tokenInvalid(problems: readonly TicketProblem[]) {
  const [first] = problems
  const others = problems.length > 1 ? ` (and ${problems.length - 1} more bad ticket${problems.length > 2 ? 's' : ''})` : ''
  return withDetails(new TokenInvalid(`ticket ${first!.serial.toLocaleString('en-US')}: ${first!.message}${others}`), {
    problemCount: problems.length,
    problems: problems.slice(0, MAX_PROBLEMS_IN_DETAILS),
  })
}
