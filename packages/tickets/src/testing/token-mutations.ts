// Ways to damage a token, for property tests here and in the API: each yields other text, which
// must never verify as a ticket.
import fc from 'fast-check'

export const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

/** Text over the base32 alphabet, so that most inputs get past the first check. */
export const base32Text = (maxLength: number) => fc.string({ unit: fc.constantFrom(...BASE32_ALPHABET), maxLength })

export type TokenMutation =
  | { kind: 'replace'; at: number; char: string }
  | { kind: 'insert'; at: number; char: string }
  | { kind: 'delete'; at: number }
  | { kind: 'truncate'; length: number }
  | { kind: 'append'; text: string }
  | { kind: 'swap'; at: number }
  | { kind: 'lower-case'; at: number }

const anyChar = fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })

export const tokenMutation: fc.Arbitrary<TokenMutation> = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), char: fc.oneof(fc.constantFrom(...BASE32_ALPHABET), anyChar) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    char: fc.oneof(fc.constantFrom(...BASE32_ALPHABET, 'a', '0', '1', '=', ' '), anyChar),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), length: fc.nat() }),
  fc.record({ kind: fc.constant('append' as const), text: base32Text(16) }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('lower-case' as const), at: fc.nat() }),
)

export function mutateToken(token: string, change: TokenMutation): string {
  const at = 'at' in change ? change.at % Math.max(1, token.length) : 0
  switch (change.kind) {
    case 'replace':
      return token.slice(0, at) + change.char + token.slice(at + 1)
    case 'insert':
      return token.slice(0, at) + change.char + token.slice(at)
    case 'delete':
      return token.slice(0, at) + token.slice(at + 1)
    case 'truncate':
      return token.slice(0, change.length % Math.max(1, token.length))
    case 'append':
      return token + change.text
    case 'swap':
      return token.slice(0, at) + (token[at + 1] ?? '') + (token[at] ?? '') + token.slice(at + 2)
    case 'lower-case':
      return token.slice(0, at) + token.slice(at, at + 1).toLowerCase() + token.slice(at + 1)
  }
}

/** One to three mutations of `token`, never `token` itself. */
export const mutatedToken = (token: string) =>
  fc
    .array(tokenMutation, { minLength: 1, maxLength: 3 })
    .map((changes) => changes.reduce(mutateToken, token))
    .filter((mutated) => mutated !== token)
