// Exports are the heaviest reads this server does (a 5,000-ticket PDF, a million-row CSV): a cap
// per account keeps one looping client from taking every slot, and a cap in total keeps the PDF
// workers and the database free enough for check-ins and uploads.
export interface ExportLimits {
  /** Exports one account may have running at once. */
  perAccount: number
  /** Exports running at once, all accounts together. */
  total: number
}

export const DEFAULT_EXPORT_LIMITS: ExportLimits = { perAccount: 2, total: 4 }

export type ExportSlot = { release(): void } | { refused: 'account' | 'server' }

export class ExportSlots {
  readonly limits: ExportLimits
  readonly #byAccount = new Map<number, number>()
  #running = 0

  constructor(limits: ExportLimits = DEFAULT_EXPORT_LIMITS) {
    for (const [name, value] of Object.entries(limits)) {
      if (!Number.isInteger(value) || value < 1) throw new RangeError(`export limit ${name} must be a positive integer; got ${value}`)
    }
    this.limits = limits
  }

  get running(): number {
    return this.#running
  }

  /** A slot for one export, or why there is none. `release` may be called any number of times. */
  tryAcquire(accountId: number): ExportSlot {
    const mine = this.#byAccount.get(accountId) ?? 0
    if (mine >= this.limits.perAccount) return { refused: 'account' }
    if (this.#running >= this.limits.total) return { refused: 'server' }
    this.#byAccount.set(accountId, mine + 1)
    this.#running++
    let released = false
    return {
      release: () => {
        if (released) return
        released = true
        this.#running--
        const left = this.#byAccount.get(accountId)! - 1
        if (left === 0) this.#byAccount.delete(accountId)
        else this.#byAccount.set(accountId, left)
      },
    }
  }
}
