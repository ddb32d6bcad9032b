import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseBatchForm, type BatchFormValues } from './batch-form.ts'

const valid: BatchFormValues = { event: ' Summer Gala ', ticketType: 'VIP', price: '25.5', currency: 'EUR', quantity: '1,000' }

test('a valid form becomes a batch request with the price in minor units', () => {
  assert.deepEqual(parseBatchForm(valid).request, {
    event: 'Summer Gala',
    ticketType: 'VIP',
    price: { amountMinor: 2550, currency: 'EUR' },
    quantity: 1000,
  })
})

test('each invalid field gets its own message', () => {
  const { request, errors } = parseBatchForm({ event: '  ', ticketType: '', price: '1.234', currency: 'eur', quantity: '0' })
  assert.equal(request, undefined)
  assert.deepEqual(Object.keys(errors).sort(), ['currency', 'event', 'price', 'quantity', 'ticketType'])
})

test('quantity runs from 1 to 1,000,000 whole tickets', () => {
  for (const quantity of ['1', '1000000', '1_000_000']) assert.ok(parseBatchForm({ ...valid, quantity }).request, quantity)
  for (const quantity of ['0', '1000001', '2.5', '-3', 'ten', ''])
    assert.ok(parseBatchForm({ ...valid, quantity }).errors.quantity, quantity)
})
