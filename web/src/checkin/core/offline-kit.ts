// The check-in kit (GET /api/checkin-kit) ready for use: each batch's public key imported once.
import { importPublicKey, type CheckinKitBatch } from '@boxoffice/tickets'

export interface KitEntry {
  batch: CheckinKitBatch
  publicKey: CryptoKey
}

/** Prepared batches by id. */
export type OfflineKit = ReadonlyMap<string, KitEntry>

/** Rejects, naming the batch, when a key does not import: importPublicKey refuses small-order points. */
export async function loadOfflineKit(batches: readonly CheckinKitBatch[]): Promise<OfflineKit> {
  const entries = await Promise.all(batches.map(async (batch) => [batch.id, { batch, publicKey: await importBatchKey(batch) }] as const))
  return new Map(entries)
}

async function importBatchKey(batch: CheckinKitBatch): Promise<CryptoKey> {
  try {
    return await importPublicKey(batch.publicKey)
  } catch (error) {
    throw new Error(`batch ${batch.id}: ${error instanceof Error ? error.message : String(error)}`, { cause: error })
  }
}

/** Whether `serial` lies in one of the sorted, inclusive ranges. */
export function inRanges(ranges: readonly (readonly [number, number])[], serial: number): boolean {
  let low = 0
  let high = ranges.length - 1
  while (low <= high) {
    const middle = (low + high) >> 1
    const [first, last] = ranges[middle]!
    if (serial < first) high = middle - 1
    else if (serial > last) low = middle + 1
    else return true
  }
  return false
}
