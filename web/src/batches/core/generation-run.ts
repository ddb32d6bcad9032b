import { CHUNK_SIZE, SIGNATURE_LENGTH, chunkCount, type Ticket } from '@boxoffice/tickets'
import { abortable } from '../../shared/core/abort.ts'
import type { StagedChunk, StagingStore, TicketSigner } from '../ports.ts'

export interface GenerationOptions {
  batchId: string
  quantity: number
  /** Tickets already staged; always a whole number of chunks unless generation had finished. */
  startSerial: number
  signer: TicketSigner
  store: StagingStore
  /** Chunks staged per IndexedDB transaction. */
  chunksPerTransaction: number
  /** Staged chunks kept in memory for the drain, so it need not read them back. */
  handoffLimit: number
  onStaged?: (generated: number, latest: readonly Ticket[]) => void
}

export const PREVIEW_SIZE = 10

/**
 * Signs and stages a batch's tickets in order, and tells the drain how far staging has got.
 * Holds only the chunks of the transaction in hand, a small handoff window and the preview.
 */
export class GenerationRun {
  generated: number
  readonly preview: Ticket[] = []
  #handoff = new Map<number, StagedChunk>()
  #waiters = new Set<() => void>()
  #failure: unknown
  #finished = false

  constructor(private readonly options: GenerationOptions) {
    this.generated = options.startSerial
    if (this.generated >= options.quantity) this.#finished = true
  }

  get finished(): boolean {
    return this.#finished
  }

  /** Chunks wholly staged so far. */
  get stagedChunks(): number {
    return this.generated >= this.options.quantity ? chunkCount(this.options.quantity) : Math.floor(this.generated / CHUNK_SIZE)
  }

  async run(signal: AbortSignal): Promise<void> {
    const { quantity, batchId, store, chunksPerTransaction, signer } = this.options
    try {
      while (this.generated < quantity) {
        signal.throwIfAborted()
        const group: StagedChunk[] = []
        let next = this.generated
        while (group.length < chunksPerTransaction && next < quantity) {
          const end = Math.min(next + CHUNK_SIZE, quantity)
          group.push({ index: next / CHUNK_SIZE, signatures: await signChunk(signer, next, end) })
          next = end
        }
        signal.throwIfAborted()
        await store.stageChunks(batchId, group, next)
        this.generated = next
        for (const chunk of group) {
          if (this.#handoff.size < this.options.handoffLimit) this.#handoff.set(chunk.index, chunk)
        }
        this.#updatePreview(group.at(-1)!)
        this.options.onStaged?.(this.generated, this.preview)
        this.#wake()
      }
    } catch (error) {
      this.#failure = error
      throw error
    } finally {
      this.#finished = true
      this.#wake()
    }
  }

  /** Why generation stopped before the end (e.g. storage full); undefined while it runs or once it finished. */
  get stopReason(): unknown {
    return this.#failure
  }

  /** Resolves true once chunk `index` is staged; false if generation stopped before staging it. */
  async waitForStaged(index: number, signal: AbortSignal): Promise<boolean> {
    while (index >= this.stagedChunks) {
      signal.throwIfAborted()
      if (this.#finished) return false
      await abortable(signal, (resolve) => {
        const wake = () => resolve()
        this.#waiters.add(wake)
        return () => this.#waiters.delete(wake)
      })
    }
    return true
  }

  takeHandoff(index: number): StagedChunk | undefined {
    const chunk = this.#handoff.get(index)
    this.#handoff.delete(index)
    return chunk
  }

  #updatePreview(last: StagedChunk) {
    const count = last.signatures.length / SIGNATURE_LENGTH
    const first = last.index * CHUNK_SIZE
    const latest: Ticket[] = []
    for (let i = Math.max(0, count - PREVIEW_SIZE); i < count; i++) {
      const signature = last.signatures.subarray(i * SIGNATURE_LENGTH, (i + 1) * SIGNATURE_LENGTH)
      latest.push({ serial: first + i, token: this.options.signer.token(first + i, signature) })
    }
    this.preview.splice(0, this.preview.length, ...this.preview.concat(latest).slice(-PREVIEW_SIZE))
  }

  #wake() {
    for (const wake of [...this.#waiters]) wake()
  }
}

/** Signs serials `first … end − 1` into one buffer; one chunk's signatures in flight at once. */
export async function signChunk(signer: TicketSigner, first: number, end: number): Promise<Uint8Array<ArrayBuffer>> {
  const signatures = new Uint8Array((end - first) * SIGNATURE_LENGTH)
  const signing: Promise<void>[] = []
  for (let serial = first; serial < end; serial++) {
    signing.push(signer.sign(serial).then((signature) => signatures.set(signature, (serial - first) * SIGNATURE_LENGTH)))
  }
  await Promise.all(signing)
  return signatures
}
