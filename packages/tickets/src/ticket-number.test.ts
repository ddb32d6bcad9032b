import assert from 'node:assert/strict'
import { test } from 'node:test'
import { formatTicketNumber } from './ticket-number.ts'

test("a ticket number is the batch id's first 8 characters in upper case and the serial padded to 7 digits", () => {
  assert.equal(formatTicketNumber('3f1c2a4e-8b7d-4c6a-9e21-5d0f7a9b1c23', 0), '3F1C2A4E-0000000')
  assert.equal(formatTicketNumber('3f1c2a4e-8b7d-4c6a-9e21-5d0f7a9b1c23', 42), '3F1C2A4E-0000042')
  assert.equal(formatTicketNumber('3f1c2a4e-8b7d-4c6a-9e21-5d0f7a9b1c23', 999_999), '3F1C2A4E-0999999')
})
