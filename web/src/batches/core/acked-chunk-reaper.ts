import { toRanges } from '@boxoffice/tickets'
import type { StagingStore } from '../ports.ts'

/**
 * Deletes acknowledged chunks from staging in batches: one transaction for several acks.
 * Deleting late is safe: on resume, chunks the server holds are deleted before anything is sent.
 */
export class AckedChunkReaper {
  #pending: number[] = []
  #flushing: Promise<void> = Promise.resolve()

  constructor(
    private readonly store: StagingStore,
    private readonly batchId: string,
    private readonly batchSize: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  add(index: number): void {
    this.#pending.push(index)
    if (this.#pending.length >= this.batchSize) void this.flush()
  }

  /** Deletes everything added so far; never rejects (a failed delete leaves chunks for resume to clear). */
  flush(): Promise<void> {
    const indexes = this.#pending.sort((a, b) => a - b)
    this.#pending = []
    if (indexes.length === 0) return this.#flushing
    this.#flushing = this.#flushing.then(() => this.store.deleteChunks(this.batchId, toRanges(indexes)).catch(this.onError))
    return this.#flushing
  }
}
