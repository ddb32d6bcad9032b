import type { DBSchema, IDBPDatabase, IDBPTransaction } from 'idb'
import { signaturesOfTokens, type Range, type Ticket } from '@boxoffice/tickets'
import { openDatabase, type VersionNotices } from '../../shared/io/open-database.ts'
import type { BatchFailure } from '../core/local-batch.ts'
import type { BatchStore, StagedChunk, StoredBatch } from '../ports.ts'

interface StoredChunk extends StagedChunk {
  batchId: string
}

/** How version 1 staged a chunk: whole tokens. */
interface StoredChunkV1 {
  batchId: string
  index: number
  tickets: Ticket[]
}

interface StagingSchema extends DBSchema {
  batches: { key: string; value: StoredBatch }
  // A whole chunk per record, keyed [batchId, index]: reads and deletes are bounded key ranges.
  chunks: { key: [string, number]; value: StoredChunk }
}

const DB_NAME = 'boxoffice-staging'
const DB_VERSION = 2

function openStagingDb(notices: VersionNotices): Promise<IDBPDatabase<StagingSchema>> {
  return openDatabase<StagingSchema>(
    DB_NAME,
    DB_VERSION,
    async (db, oldVersion, _newVersion, transaction) => {
      if (oldVersion < 1) {
        db.createObjectStore('batches', { keyPath: 'id' })
        db.createObjectStore('chunks', { keyPath: ['batchId', 'index'] })
      }
      // Version 2 stages a chunk as its signatures alone. Chunks staged by version 1 are converted
      // in place, so an upload that was under way when the app was updated loses nothing.
      if (oldVersion === 1) await convertChunksToSignatures(transaction)
    },
    notices,
  )
}

// Staging writes and deletes commit without waiting for the disk flush. A crash of the OS may
// undo the last few, but each transaction stays atomic (chunks and generatedCount together), so
// resume regenerates exactly what was lost, with the same key and the same tokens.
const RELAXED = { durability: 'relaxed' } as const

function chunkRange(batchId: string, first: number, last: number) {
  return IDBKeyRange.bound([batchId, first], [batchId, last])
}

/** The ticket worker's IndexedDB database `boxoffice-staging`, opened once on first use. */
export class IndexedDbStagingStore implements BatchStore {
  #database: Promise<IDBPDatabase<StagingSchema>> | undefined

  constructor(private readonly notices: VersionNotices) {}

  async createBatch(batch: StoredBatch): Promise<void> {
    const db = await this.#open()
    await db.add('batches', batch)
  }

  async getBatch(batchId: string): Promise<StoredBatch | undefined> {
    return (await this.#open()).get('batches', batchId)
  }

  async listBatches(): Promise<StoredBatch[]> {
    return (await this.#open()).getAll('batches')
  }

  async stageChunks(batchId: string, chunks: StagedChunk[], generatedCount: number): Promise<void> {
    const db = await this.#open()
    const tx = db.transaction(['chunks', 'batches'], 'readwrite', RELAXED)
    const chunkStore = tx.objectStore('chunks')
    const writes: Promise<unknown>[] = chunks.map((chunk) => chunkStore.put({ batchId, index: chunk.index, signatures: chunk.signatures }))
    const batchStore = tx.objectStore('batches')
    writes.push(
      batchStore.get(batchId).then((batch) => {
        if (!batch) throw new Error(`batch ${batchId} is no longer staged`)
        return batchStore.put({ ...batch, generatedCount })
      }),
    )
    await Promise.all([...writes, tx.done])
  }

  async readChunks(batchId: string, first: number, last: number): Promise<StagedChunk[]> {
    const records = await (await this.#open()).getAll('chunks', chunkRange(batchId, first, last))
    return records.map((record) => ({ index: record.index, signatures: record.signatures }))
  }

  async deleteChunks(batchId: string, ranges: readonly Range[]): Promise<void> {
    if (ranges.length === 0) return
    const db = await this.#open()
    const tx = db.transaction('chunks', 'readwrite', RELAXED)
    await Promise.all([...ranges.map(([first, last]) => tx.store.delete(chunkRange(batchId, first, last))), tx.done])
  }

  async markRegistered(batchId: string): Promise<void> {
    await this.#updateBatch(batchId, (batch) => ({ ...batch, registered: true }))
  }

  async setPaused(batchId: string, paused: boolean): Promise<void> {
    await this.#updateBatch(batchId, (batch) => ({ ...batch, paused }))
  }

  async setFailure(batchId: string, failure: BatchFailure | undefined): Promise<void> {
    await this.#updateBatch(batchId, (batch) => {
      const { failure: _previous, ...rest } = batch
      return failure ? { ...rest, failure } : rest
    })
  }

  /** Removes everything this browser holds of a batch: staged tickets and the private key. */
  async deleteBatch(batchId: string): Promise<void> {
    const db = await this.#open()
    const tx = db.transaction(['chunks', 'batches'], 'readwrite')
    await Promise.all([
      tx.objectStore('chunks').delete(chunkRange(batchId, 0, Number.MAX_SAFE_INTEGER)),
      tx.objectStore('batches').delete(batchId),
      tx.done,
    ])
  }

  #open(): Promise<IDBPDatabase<StagingSchema>> {
    this.#database ??= openStagingDb(this.notices)
    return this.#database
  }

  async #updateBatch(batchId: string, update: (batch: StoredBatch) => StoredBatch): Promise<void> {
    const db = await this.#open()
    const tx = db.transaction('batches', 'readwrite')
    const batch = await tx.store.get(batchId)
    if (batch) await tx.store.put(update(batch))
    await tx.done
  }
}

async function convertChunksToSignatures(transaction: IDBPTransaction<StagingSchema, ('batches' | 'chunks')[], 'versionchange'>) {
  let cursor = await transaction.objectStore('chunks').openCursor()
  while (cursor) {
    const record = cursor.value as unknown as StoredChunkV1 | StoredChunk
    if ('tickets' in record) {
      const signatures = signaturesOfTokens(record.tickets.map((ticket) => ticket.token))
      // A token this app did not write cannot be uploaded; dropped, its chunk is reported missing on upload.
      if (signatures) await cursor.update({ batchId: record.batchId, index: record.index, signatures })
      else await cursor.delete()
    }
    cursor = await cursor.continue()
  }
}
