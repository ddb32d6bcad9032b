// Every 32-byte encoding of an Ed25519 point of small order (order 1, 2, 4 or 8), for tests. With
// such a public key one signature can verify for many messages. The eight points have seven
// y-coordinates as written (0, 1, p − 1, the two order-8 values, and the non-canonical p and
// p + 1, which reduce to 0 and 1), each with the x sign bit clear and set: 14 encodings.
// The list is libsodium's blocklist (ge25519_has_small_order), written out independently of the
// curve arithmetic that refuses them.
const Y_ENCODINGS: Record<string, string> = {
  'y = 0 (order 4)': '0000000000000000000000000000000000000000000000000000000000000000',
  'y = 1 (order 1, the identity)': '0100000000000000000000000000000000000000000000000000000000000000',
  'y of order 8': '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  'y of order 8, negated': 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'y = p − 1 (order 2)': 'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'y = p, non-canonical 0 (order 4)': 'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'y = p + 1, non-canonical 1 (order 1)': 'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
}

export interface SmallOrderKey {
  name: string
  /** base64url of the 32 bytes, as the API and the check-in kit carry public keys. */
  publicKey: string
}

function fromHex(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g)!, (byte) => parseInt(byte, 16))
}

function base64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '')
}

export const SMALL_ORDER_KEYS: readonly SmallOrderKey[] = Object.entries(Y_ENCODINGS).flatMap(([name, hex]) => {
  const clear = fromHex(hex)
  const set = fromHex(hex)
  set[31]! |= 0x80
  return [
    { name: `${name}, sign bit clear`, publicKey: base64Url(clear) },
    { name: `${name}, sign bit set`, publicKey: base64Url(set) },
  ]
})
