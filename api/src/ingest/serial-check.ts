import { chunkSerialRange, formatRanges, toRanges, type Range } from '@boxoffice/tickets'

/**
 * Why `serials` are not exactly the serials of chunk `index`, in order, or `undefined` if they are.
 * "chunk 12 must hold serials 600–649; got 600–648 and 700"
 */
export function serialMismatch(index: number, quantity: number, serials: readonly number[]): string | undefined {
  const [first, last] = chunkSerialRange(index, quantity)
  const matches = serials.length === last - first + 1 && serials.every((serial, position) => serial === first + position)
  if (matches) return undefined
  return `chunk ${index} must hold serials ${formatRanges([[first, last]])}; got ${describeRuns(serials)}`
}

/** Serials in upload order, with increasing runs collapsed: "600–648 and 700". */
function describeRuns(serials: readonly number[]): string {
  const runs: Range[] = toRanges(serials)
  const parts = runs.map((run) => formatRanges([run]))
  return parts.length <= 1 ? (parts[0] ?? 'none') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`
}
