// Refusing tickets at the gate: one ticket (lost, refunded, resold) or a whole completed batch.
// A revocation is permanent and idempotent: revoking again answers the first revocation.
import type { Revocation } from '@boxoffice/tickets'
import type { SignedInAccount } from '../auth/sessions.ts'
import { assertCanView } from '../batches/batch-access.ts'
import { assertCompleted } from '../batches/completed-batch.ts'
import type { CheckinRepository, RevocationRecord } from '../db/checkin-repository.ts'
import type { TicketRepository } from '../db/ticket-repository.ts'
import { TicketNotFound } from '../errors.ts'

export interface RevocationDeps {
  repository: TicketRepository
  checkins: CheckinRepository
}

function toRevocation(record: RevocationRecord): Revocation {
  return {
    batchId: record.batchId,
    serial: record.serial,
    revokedAt: record.revokedAt,
    reason: record.reason,
    revokedBy: record.revokedByUsername,
  }
}

/**
 * `serial` null revokes the whole batch. The batch's creator and admins may revoke (unlike
 * cancelling, an admin may revoke another account's tickets: stopping a bad ticket at the door
 * must not wait for its creator). Staff get 404 for a batch not theirs, as on every batch route.
 */
export async function revoke(
  { repository, checkins }: RevocationDeps,
  batchId: string,
  serial: number | null,
  reason: string | undefined,
  account: SignedInAccount,
): Promise<{ created: boolean; revocation: Revocation }> {
  const batch = await repository.getBatch(batchId)
  assertCanView(batch, batchId, account)
  assertCompleted(batch, 'revoked')
  if (serial !== null && serial >= batch.quantity) {
    throw new TicketNotFound(`batch ${batchId} has no ticket ${serial}; its serials are 0–${batch.quantity - 1}`)
  }
  const { created, revocation } = await checkins.revoke({
    batchId,
    serial,
    revokedAt: new Date().toISOString(),
    reason: reason ?? null,
    revokedBy: account.id,
  })
  return { created, revocation: toRevocation(revocation) }
}
