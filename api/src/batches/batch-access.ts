// Who may see and change a batch. Batches are money: only the account that created a batch may
// upload its tickets, complete it or cancel it. Admins may see every batch, staff only their own.
//
// A batch the account may not see is answered exactly like one that does not exist (404
// BATCH_NOT_FOUND), so nobody learns which batch ids exist. Only an admin, who can see the batch
// anyway, is told the truth when changing someone else's batch: 403 BATCH_FORBIDDEN.
import { accountIdOf, type SignedInAccount } from '../auth/sessions.ts'
import type { BatchRecord } from '../db/ticket-repository.ts'
import { BatchForbidden, BatchNotFound } from '../errors.ts'

export function canViewBatch(batch: BatchRecord, account: SignedInAccount): boolean {
  return account.role === 'admin' || (account.id !== null && batch.createdBy === account.id)
}

export function canChangeBatch(batch: BatchRecord, account: SignedInAccount): boolean {
  return account.id !== null && batch.createdBy === account.id
}

/** The creator filter for listing: admins list every batch, staff their own. */
export function listedCreator(account: SignedInAccount): number | undefined {
  return account.role === 'admin' ? undefined : accountIdOf(account)
}

export function assertCanView(batch: BatchRecord | undefined, id: string, account: SignedInAccount): asserts batch is BatchRecord {
  if (!batch || !canViewBatch(batch, account)) throw new BatchNotFound(id)
}

export function assertCanChange(batch: BatchRecord | undefined, id: string, account: SignedInAccount): asserts batch is BatchRecord {
  assertCanView(batch, id, account)
  if (!canChangeBatch(batch, account)) {
    throw new BatchForbidden(`batch ${id} belongs to another account; only the account that created it may change it`)
  }
}
