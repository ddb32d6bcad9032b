import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseEventForm, parsePrice, parseTicketType, type EventFormValues } from './event-form.ts'

const valid: EventFormValues = {
  name: ' Stadium night ',
  startsAt: '2026-12-31T20:00',
  timeZone: 'Europe/Berlin',
  venue: 'Olympiastadion',
  ticketType: { name: 'Standing', price: '40', currency: 'EUR', capacity: '40,000' },
}

test('a valid form becomes an event with one ticket type, each with a fresh id', () => {
  let n = 0
  const { body, errors } = parseEventForm(valid, () => `id-${++n}`)
  assert.deepEqual(errors, {})
  assert.deepEqual(body, {
    id: 'id-1',
    name: 'Stadium night',
    startsAt: '2026-12-31T20:00',
    timeZone: 'Europe/Berlin',
    venue: 'Olympiastadion',
    ticketTypes: [{ id: 'id-2', name: 'Standing', price: { amountMinor: 4000, currency: 'EUR' }, capacity: 40_000 }],
  })
})

test('each bad field gets its own message', () => {
  const { body, errors } = parseEventForm(
    {
      name: ' ',
      startsAt: '',
      timeZone: 'Mars/Olympus',
      venue: '',
      ticketType: { name: '', price: '1.234', currency: 'EUR', capacity: '-1' },
    },
    () => 'x',
  )
  assert.equal(body, undefined)
  assert.deepEqual(Object.keys(errors).sort(), ['name', 'startsAt', 'timeZone', 'type-capacity', 'type-name', 'type-price'])
})

test('prices and capacities', () => {
  assert.equal(parsePrice('25.5'), 2550)
  assert.equal(parsePrice('0'), 0)
  assert.equal(parsePrice('12.345'), undefined)
  const errors = {}
  assert.deepEqual(parseTicketType({ name: 'VIP', price: '250', currency: 'EUR', capacity: '0' }, errors), {
    name: 'VIP',
    price: { amountMinor: 25_000, currency: 'EUR' },
    capacity: 0,
  })
  assert.deepEqual(errors, {})
})
