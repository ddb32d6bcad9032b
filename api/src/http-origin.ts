/** Normalised origin (lower-case host, default ports dropped), or undefined for "null" and anything unparsable. */
export function originOf(text: string): string | undefined {
  try {
    const origin = new URL(text).origin
    return origin === 'null' ? undefined : origin
  } catch {
    return undefined
  }
}
