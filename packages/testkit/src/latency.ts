// Every request's latency, kept (not bucketed) so that percentiles are exact.

export interface LatencySummary {
  count: number
  p50: number
  p95: number
  p99: number
  max: number
}

export class LatencyRecorder {
  #values = new Float64Array(1024)
  #count = 0

  /** Records one latency in milliseconds. */
  record(milliseconds: number): void {
    if (this.#count === this.#values.length) {
      const grown = new Float64Array(this.#values.length * 2)
      grown.set(this.#values)
      this.#values = grown
    }
    this.#values[this.#count++] = milliseconds
  }

  /** Adds every latency another recorder holds. */
  addAll(other: LatencyRecorder): void {
    for (let i = 0; i < other.#count; i++) this.record(other.#values[i]!)
  }

  get count(): number {
    return this.#count
  }

  summary(): LatencySummary {
    const sorted = this.#values.slice(0, this.#count).sort()
    return {
      count: this.#count,
      p50: percentile(sorted, 0.5),
      p95: percentile(sorted, 0.95),
      p99: percentile(sorted, 0.99),
      max: this.#count ? sorted[this.#count - 1]! : NaN,
    }
  }
}

/** Nearest-rank percentile of ascending values: the smallest value with at least `share` of them at or below it. */
export function percentile(sorted: Float64Array, share: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.max(0, Math.ceil(share * sorted.length) - 1)]!
}
