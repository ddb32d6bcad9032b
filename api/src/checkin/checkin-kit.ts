// What a scanner downloads to check tickets without the network: each batch's public key (tokens
// verify offline with it, see docs/token-format.md) and what has been revoked since.
import type { CheckinBatch, CheckinKit, CheckinKitBatch } from '@boxoffice/tickets'
import { toBatchIdentity } from '../batches/batch-view.ts'
import { assertCompleted } from '../batches/completed-batch.ts'
import type { CheckinRepository } from '../db/checkin-repository.ts'
import type { TicketRepository } from '../db/ticket-repository.ts'
import { BatchNotFound } from '../errors.ts'

export interface CheckinKitDeps {
  repository: TicketRepository
  checkins: CheckinRepository
}

/**
 * The completed batches, newest first, whoever created them: what gate staff choose from before
 * going offline. Staff see only their own batches in GET /api/batches, but a gate account checks
 * in tickets of batches others made, and a kit holds nothing secret.
 */
export async function checkinBatches({ repository }: CheckinKitDeps, limit: number): Promise<CheckinBatch[]> {
  const records = await repository.listBatches({ state: 'completed', limit })
  return records.map((batch) => ({ ...toBatchIdentity(batch), createdAt: batch.createdAt, finishedAt: batch.finishedAt }))
}

/**
 * Any signed-in account may fetch the kit of any completed batch: gate staff check tickets of
 * batches they did not create, and a kit holds nothing secret. Unknown ids are 404, open or
 * cancelled batches 409.
 */
export async function checkinKit({ repository, checkins }: CheckinKitDeps, batchIds: readonly string[]): Promise<CheckinKit> {
  const batches: CheckinKitBatch[] = []
  for (const id of new Set(batchIds)) {
    const batch = await repository.getBatch(id)
    if (!batch) throw new BatchNotFound(id)
    assertCompleted(batch, 'checked in')
    const revocations = await checkins.revocationsOf(id)
    batches.push({
      ...toBatchIdentity(batch),
      revoked: revocations.batch !== undefined,
      revokedAt: revocations.batch?.revokedAt ?? null,
      revokedSerials: revocations.serials,
    })
  }
  return {
    serverTime: new Date().toISOString(),
    batches,
    revokedBatches: batches.filter((batch) => batch.revoked).map((batch) => batch.id),
  }
}
