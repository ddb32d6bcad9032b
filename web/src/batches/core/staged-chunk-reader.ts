import type { StagedChunk, StagingStore } from '../ports.ts'

/**
 * Reads staged chunks back for the drain a range at a time (one IndexedDB request for several
 * chunks instead of one each). Holds at most about two ranges' worth of chunks.
 */
export class StagedChunkReader {
  #cache = new Map<number, StagedChunk>()
  #reading: { from: number; to: number; done: Promise<void> } | undefined

  constructor(
    private readonly store: StagingStore,
    private readonly batchId: string,
    private readonly readAhead: number,
  ) {}

  async read(index: number): Promise<StagedChunk | undefined> {
    for (;;) {
      const cached = this.#take(index)
      if (cached) return cached
      const reading = this.#reading
      if (reading) {
        await reading.done
        if (index >= reading.from && index <= reading.to) break
        continue
      }
      const from = index
      const to = index + this.readAhead - 1
      const done = this.#fill(from, to).finally(() => (this.#reading = undefined))
      this.#reading = { from, to, done }
      await done
      break
    }
    // A range read that covered `index` but did not hold it: ask once more for that chunk alone.
    return this.#take(index) ?? (await this.store.readChunks(this.batchId, index, index))[0]
  }

  #take(index: number): StagedChunk | undefined {
    const chunk = this.#cache.get(index)
    this.#cache.delete(index)
    return chunk
  }

  async #fill(from: number, to: number) {
    for (const key of this.#cache.keys()) if (key < from) this.#cache.delete(key)
    for (const chunk of await this.store.readChunks(this.batchId, from, to)) this.#cache.set(chunk.index, chunk)
  }
}
