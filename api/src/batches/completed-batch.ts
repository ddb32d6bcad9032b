import type { BatchRecord } from '../db/ticket-repository.ts'
import { BatchNotCompleted } from '../errors.ts'

/**
 * Exports and check-in kits cover completed batches only: an open batch may still lack tickets,
 * and a cancelled one will never be complete.
 */
export function assertCompleted(batch: BatchRecord, purpose: string): void {
  if (batch.state === 'completed') return
  const state =
    batch.state === 'open'
      ? `still open (${batch.ticketsReceived.toLocaleString('en-US')} of ${batch.quantity.toLocaleString('en-US')} tickets received); complete it first`
      : 'cancelled'
  throw new BatchNotCompleted(`batch ${batch.id} is ${state}: only a completed batch can be ${purpose}`)
}
