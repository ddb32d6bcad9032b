// A batch is created open, receives chunks, and ends completed (every chunk present) or cancelled.
// Every operation here is idempotent: a replay of a request that succeeded succeeds again.
// Each acts for a signed-in account; batch-access.ts says which batches it may see and change.
import {
  chunkCount,
  chunkSerialRange,
  formatRanges,
  missingRanges,
  rangesSize,
  type BatchStatus,
  type CreateBatchBody,
  type Range,
} from '@boxoffice/tickets'
import type { SignedInAccount } from '../auth/sessions.ts'
import type { BatchRecord, FinalState, TicketRepository } from '../db/ticket-repository.ts'
import {
  BatchConflict,
  BatchIncomplete,
  BatchNotFound,
  BatchNotOpen,
  CapacityExceeded,
  InvalidPublicKey,
  TicketTypeNotFound,
  withDetails,
} from '../errors.ts'
import { ed25519PublicKeyProblem } from '../verification/ed25519-public-key.ts'
import { assertCanChange, assertCanView } from './batch-access.ts'
import { toBatchStatus } from './batch-view.ts'

const MAX_RANGES_IN_MESSAGE = 10

export async function createBatch(
  repository: TicketRepository,
  body: CreateBatchBody,
  account: SignedInAccount,
): Promise<{ created: boolean; status: BatchStatus }> {
  const keyProblem = ed25519PublicKeyProblem(body.publicKey)
  if (keyProblem) throw new InvalidPublicKey(keyProblem)
  const result = await repository.createBatch({
    id: body.id,
    ticketTypeId: body.ticketTypeId,
    quantity: body.quantity,
    publicKey: body.publicKey,
    createdAt: new Date().toISOString(),
    createdBy: account.id,
  })
  switch (result.outcome) {
    case 'ticket-type-not-found':
      throw withDetails(new TicketTypeNotFound(`ticket type ${body.ticketTypeId} not found`), { fields: ['ticketTypeId'] })
    case 'capacity-exceeded': {
      const { remaining, capacity } = result
      const left = remaining === 0 ? 'none is left' : `only ${remaining.toLocaleString('en-US')} ${remaining === 1 ? 'is' : 'are'} left`
      throw withDetails(
        new CapacityExceeded(
          `${body.quantity.toLocaleString('en-US')} tickets do not fit: the ticket type has a capacity of ${capacity.toLocaleString('en-US')} and ${left}`,
        ),
        { remaining, capacity, ticketTypeId: body.ticketTypeId },
      )
    }
    case 'created':
      return { created: true, status: toBatchStatus(result.batch, []) }
    case 'existing': {
      const { batch } = result
      // Batch ids are random UUIDs: a clash with another account's batch is a client bug or a probe,
      // never a replay. The answer does not say whose batch it is.
      if (batch.createdBy !== account.id) {
        throw withDetails(new BatchConflict(`batch ${body.id} already exists`), { fields: ['id'] })
      }
      const fields = differingFields(batch, body)
      if (fields.length > 0) {
        throw withDetails(new BatchConflict(`batch ${body.id} already exists with a different ${fields.join(', ')}`), { fields })
      }
      return { created: false, status: toBatchStatus(batch, await repository.committedChunkRanges(batch.id)) }
    }
  }
}

/** The request fields, by their name in the request body, whose value differs from the stored batch. */
export function differingFields(batch: BatchRecord, body: CreateBatchBody): string[] {
  const pairs: [string, unknown, unknown][] = [
    ['ticketTypeId', batch.ticketTypeId, body.ticketTypeId],
    ['quantity', batch.quantity, body.quantity],
    ['publicKey', batch.publicKey, body.publicKey],
  ]
  return pairs.filter(([, stored, requested]) => stored !== requested).map(([field]) => field)
}

export async function getBatchStatus(repository: TicketRepository, id: string, account: SignedInAccount): Promise<BatchStatus> {
  const batch = await repository.getBatch(id)
  assertCanView(batch, id, account)
  return toBatchStatus(batch, await repository.committedChunkRanges(id))
}

/** `finished`: this call completed it (false: it was completed already, and the call is a retry). */
export async function completeBatch(
  repository: TicketRepository,
  id: string,
  account: SignedInAccount,
): Promise<{ finished: boolean; status: BatchStatus }> {
  const { finished, batch } = await finish(repository, id, 'completed', account)
  return { finished, status: toBatchStatus(batch, await repository.committedChunkRanges(id)) }
}

export async function cancelBatch(
  repository: TicketRepository,
  id: string,
  account: SignedInAccount,
): Promise<{ finished: boolean; status: BatchStatus }> {
  const { finished, batch } = await finish(repository, id, 'cancelled', account)
  return { finished, status: toBatchStatus(batch, await repository.committedChunkRanges(id)) }
}

async function finish(
  repository: TicketRepository,
  id: string,
  state: FinalState,
  account: SignedInAccount,
): Promise<{ finished: boolean; batch: BatchRecord }> {
  // The creator never changes, so checking it outside finishBatch's transaction is safe.
  assertCanChange(await repository.getBatch(id), id, account)
  // A chunk committed between the refusal and the read of the ranges may fill the last gap;
  // then asking again is the honest answer.
  for (let attempt = 1; ; attempt++) {
    const result = await repository.finishBatch(id, state, new Date().toISOString())
    switch (result.outcome) {
      case 'batch-not-found':
        throw new BatchNotFound(id)
      case 'finished':
      case 'already':
        return { finished: result.outcome === 'finished', batch: result.batch }
      case 'not-open':
        throw new BatchNotOpen(`batch ${id} is ${result.batch.state}; it cannot be ${state === 'completed' ? 'completed' : 'cancelled'}`)
      case 'incomplete': {
        const { quantity } = result.batch
        const missing = missingRanges(await repository.committedChunkRanges(id), chunkCount(quantity))
        if (missing.length === 0 && attempt < 3) continue
        throw withDetails(new BatchIncomplete(describeMissingChunks(id, missing, quantity)), {
          missingChunks: missing,
          missingChunkCount: rangesSize(missing),
        })
      }
    }
  }
}

/** "batch … is missing 3 of 20 chunks: 2–3 (serials 100–199), 7 (serials 350–399)" */
export function describeMissingChunks(id: string, missing: readonly Range[], quantity: number): string {
  const listed = missing.slice(0, MAX_RANGES_IN_MESSAGE).map((range) => {
    const serials: Range = [chunkSerialRange(range[0], quantity)[0], chunkSerialRange(range[1], quantity)[1]]
    return `${formatRanges([range])} (serials ${formatRanges([serials])})`
  })
  const more = missing.length > MAX_RANGES_IN_MESSAGE ? `, and ${missing.length - MAX_RANGES_IN_MESSAGE} more ranges` : ''
  const count = rangesSize(missing)
  return `batch ${id} is missing ${count} of ${chunkCount(quantity)} chunk${chunkCount(quantity) === 1 ? '' : 's'}: ${listed.join(', ')}${more}`
}
