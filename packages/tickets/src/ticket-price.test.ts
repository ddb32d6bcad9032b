import assert from 'node:assert/strict'
import { test } from 'node:test'
import { formatTicketPrice } from './ticket-price.ts'

test('a price is written as a decimal with two places and its currency code', () => {
  assert.equal(formatTicketPrice({ amountMinor: 2500, currency: 'EUR' }), '25.00 EUR')
  assert.equal(formatTicketPrice({ amountMinor: 4505, currency: 'USD' }), '45.05 USD')
  assert.equal(formatTicketPrice({ amountMinor: 7, currency: 'GBP' }), '0.07 GBP')
  assert.equal(formatTicketPrice({ amountMinor: 0, currency: 'EUR' }), '0.00 EUR')
  assert.equal(formatTicketPrice({ amountMinor: 1_000_000_000, currency: 'EUR' }), '10000000.00 EUR')
})
