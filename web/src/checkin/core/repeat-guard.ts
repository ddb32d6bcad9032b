/**
 * A camera sees the same QR code in many frames in a row. The guard lets a code through once, then
 * ignores it until it has been out of sight (not offered) for `quietMs`. Another code always passes.
 */
export function createRepeatGuard(quietMs: number, now: () => number): (code: string) => boolean {
  let last: { code: string; seenAt: number } | undefined
  return (code) => {
    const time = now()
    const repeat = last !== undefined && last.code === code && time - last.seenAt < quietMs
    last = { code, seenAt: time }
    return !repeat
  }
}
