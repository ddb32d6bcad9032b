import { chunkCount, chunkSerialRange, type Range } from '@boxoffice/tickets'

/**
 * Resume bookkeeping: which chunks of a batch the server has acknowledged.
 * One byte a chunk (20 KB at a million tickets), seeded from the server's committed ranges,
 * because the server, not local memory, is the authority on what it holds.
 */
export class AckLedger {
  readonly chunkCount: number
  #acked: Uint8Array
  #ackedChunks = 0
  #ackedTickets = 0

  constructor(
    readonly quantity: number,
    committed: readonly Range[] = [],
  ) {
    this.chunkCount = chunkCount(quantity)
    this.#acked = new Uint8Array(this.chunkCount)
    for (const [first, last] of committed) {
      for (let index = first; index <= last && index < this.chunkCount; index++) this.add(index)
    }
  }

  has(index: number): boolean {
    return this.#acked[index] === 1
  }

  add(index: number): void {
    if (index < 0 || index >= this.chunkCount || this.#acked[index] === 1) return
    this.#acked[index] = 1
    this.#ackedChunks++
    const [first, last] = chunkSerialRange(index, this.quantity)
    this.#ackedTickets += last - first + 1
  }

  /** The first unacknowledged index at or after `from`, or `chunkCount` when there is none. */
  nextMissing(from: number): number {
    let index = Math.max(0, from)
    while (index < this.chunkCount && this.#acked[index] === 1) index++
    return index
  }

  get ackedChunks(): number {
    return this.#ackedChunks
  }

  get ackedTickets(): number {
    return this.#ackedTickets
  }
}
