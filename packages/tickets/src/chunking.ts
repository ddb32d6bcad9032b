import { CHUNK_SIZE } from './limits.ts'

/** An inclusive range `[first, last]` of chunk indexes or serials. */
export type Range = [first: number, last: number]

export function chunkCount(quantity: number): number {
  return Math.ceil(quantity / CHUNK_SIZE)
}

/** The serials chunk `index` must hold in a batch of `quantity` tickets; the last chunk may be shorter. */
export function chunkSerialRange(index: number, quantity: number): Range {
  const first = index * CHUNK_SIZE
  return [first, Math.min(first + CHUNK_SIZE, quantity) - 1]
}

export function chunkIndexOfSerial(serial: number): number {
  return Math.floor(serial / CHUNK_SIZE)
}

/** Collapses sorted, distinct integers into inclusive ranges: `[0,1,2,5]` → `[[0,2],[5,5]]`. */
export function toRanges(sortedIndexes: Iterable<number>): Range[] {
  const ranges: Range[] = []
  let current: Range | undefined
  for (const index of sortedIndexes) {
    if (current && index === current[1] + 1) current[1] = index
    else {
      current = [index, index]
      ranges.push(current)
    }
  }
  return ranges
}

/** The indexes `0 … count−1` not covered by `ranges` (sorted, non-overlapping), as ranges. */
export function missingRanges(ranges: readonly Range[], count: number): Range[] {
  const missing: Range[] = []
  let next = 0
  for (const [first, last] of ranges) {
    if (first > next) missing.push([next, Math.min(first, count) - 1])
    next = Math.max(next, last + 1)
  }
  if (next < count) missing.push([next, count - 1])
  return missing
}

export function rangesSize(ranges: readonly Range[]): number {
  return ranges.reduce((sum, [first, last]) => sum + last - first + 1, 0)
}

export function rangesInclude(ranges: readonly Range[], index: number): boolean {
  return ranges.some(([first, last]) => index >= first && index <= last)
}

/** "0–49, 100–149" for people; ranges of one show a single number. */
export function formatRanges(ranges: readonly Range[]): string {
  return ranges.map(([first, last]) => (first === last ? `${first}` : `${first}–${last}`)).join(', ')
}
