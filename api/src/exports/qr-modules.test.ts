import assert from 'node:assert/strict'
import { test } from 'node:test'
import { qrRuns } from './qr-modules.ts'

// Sizes from docs/token-format.md: a General ticket's 149-character token is version 6, 41×41;
// the longest ticket type's 202 characters are version 8, 49×49.
test("a token's QR code has the version the token format promises, drawn as runs inside the symbol", () => {
  const general = 'A'.repeat(149)
  const runs = qrRuns(general)
  assert.equal(runs.size, 41)
  assert.equal(qrRuns('B'.repeat(202)).size, 49)
  for (const [, col, row, length] of runs.path.matchAll(/(\d+) (\d+) (\d+) 1 re\n/g)) {
    assert.ok(Number(row) < 41 && Number(col) + Number(length) <= 41)
  }
  // The top-left finder pattern: its first row is one run of 7 dark modules.
  assert.match(runs.path, /^0 0 7 1 re\n/)
})
