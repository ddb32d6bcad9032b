import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { EventView } from '@boxoffice/tickets'
import { parseBatchForm, remainingText, type BatchFormValues } from './batch-form.ts'

const events: EventView[] = [
  {
    id: 'e1',
    name: 'Summer Gala',
    startsAt: '2026-07-01T20:00',
    timeZone: 'Europe/Berlin',
    venue: '',
    createdAt: '2026-01-01T00:00:00.000Z',
    ticketTypes: [
      {
        id: 't1',
        eventId: 'e1',
        name: 'VIP',
        price: { amountMinor: 2550, currency: 'EUR' },
        capacity: 40_000,
        issued: 39_000,
        remaining: 1_000,
      },
      { id: 't2', eventId: 'e1', name: 'Full', price: { amountMinor: 0, currency: 'EUR' }, capacity: 10, issued: 10, remaining: 0 },
    ],
  },
]
const valid: BatchFormValues = { eventId: 'e1', ticketTypeId: 't1', quantity: '1,000' }

test('a valid form becomes a batch request for the chosen type, with its name and price', () => {
  assert.deepEqual(parseBatchForm(valid, events).request, {
    eventId: 'e1',
    ticketTypeId: 't1',
    event: 'Summer Gala',
    ticketType: 'VIP',
    price: { amountMinor: 2550, currency: 'EUR' },
    quantity: 1000,
  })
})

test('no event, or no type, gets its own message', () => {
  assert.deepEqual(Object.keys(parseBatchForm({ eventId: '', ticketTypeId: '', quantity: '0' }, events).errors).sort(), [
    'eventId',
    'quantity',
  ])
  assert.deepEqual(Object.keys(parseBatchForm({ ...valid, ticketTypeId: 'gone' }, events).errors), ['ticketTypeId'])
})

test('more than the type has left is refused before generating, saying what is left', () => {
  assert.equal(parseBatchForm({ ...valid, quantity: '1001' }, events).errors.quantity, 'Only 1,000 VIP tickets are left.')
  assert.match(parseBatchForm({ ...valid, ticketTypeId: 't2', quantity: '1' }, events).errors.quantity!, /^No Full tickets are left/)
  assert.equal(remainingText(events[0]!.ticketTypes[0]!), '1,000 of 40,000 left')
  assert.equal(remainingText(events[0]!.ticketTypes[1]!), 'None left of 10')
})

test('quantity runs from 1 to 1,000,000 whole tickets', () => {
  const roomy = [{ ...events[0]!, ticketTypes: [{ ...events[0]!.ticketTypes[0]!, capacity: 2_000_000, remaining: 2_000_000 }] }]
  for (const quantity of ['1', '1000000', '1_000_000']) assert.ok(parseBatchForm({ ...valid, quantity }, roomy).request, quantity)
  for (const quantity of ['0', '1000001', '2.5', '-3', 'ten', ''])
    assert.ok(parseBatchForm({ ...valid, quantity }, roomy).errors.quantity, quantity)
})
