/** Consecutive pieces of at most `size` items, in order. */
export function splitIntoPieces<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`piece size must be a positive integer, got ${size}`)
  const pieces: T[][] = []
  for (let start = 0; start < items.length; start += size) pieces.push(items.slice(start, start + size))
  return pieces
}
