// The Events page's forms, checked as the API will check them, so that people see the problem
// next to the field. Pure: the page turns the answers into requests.
import { MAX_CAPACITY, MAX_PRICE_MINOR, type CreateEventBody, type TicketTypeBody } from '@boxoffice/tickets'

export interface TicketTypeFormValues {
  name: string
  price: string
  currency: string
  capacity: string
}

export interface EventFormValues {
  name: string
  /** As an `<input type="datetime-local">` gives it: `YYYY-MM-DDTHH:MM`. */
  startsAt: string
  timeZone: string
  venue: string
  ticketType: TicketTypeFormValues
}

export type FormErrors = Record<string, string>

/** "25.50" → 2550; undefined when it is no price. */
export function parsePrice(text: string): number | undefined {
  const price = text.trim()
  if (!/^\d+(\.\d{1,2})?$/.test(price)) return undefined
  const [whole, fraction = ''] = price.split('.')
  const minor = Number(whole) * 100 + Number(fraction.padEnd(2, '0'))
  return minor <= MAX_PRICE_MINOR ? minor : undefined
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone })
    return zone.length > 0
  } catch {
    return false
  }
}

export function parseTicketType(values: TicketTypeFormValues, errors: FormErrors, prefix = ''): TicketTypeBody | undefined {
  const name = values.name.trim()
  if (!name) errors[`${prefix}name`] = 'Enter the ticket type, for example “General admission”.'
  else if (name.length > 40) errors[`${prefix}name`] = 'Use at most 40 characters.'
  const amountMinor = parsePrice(values.price)
  if (amountMinor === undefined) errors[`${prefix}price`] = 'Enter a price such as 25 or 25.50 (0 for free tickets).'
  const capacityText = values.capacity.trim().replaceAll(',', '')
  const capacity = Number(capacityText)
  if (!/^\d+$/.test(capacityText) || capacity > MAX_CAPACITY) {
    errors[`${prefix}capacity`] = `Enter a whole number of seats from 0 to ${MAX_CAPACITY.toLocaleString('en-US')}.`
  }
  if (!name || amountMinor === undefined || errors[`${prefix}capacity`] || errors[`${prefix}name`]) return undefined
  return { name, price: { amountMinor, currency: values.currency }, capacity }
}

/** The creation request for the form, with fresh ids, or the errors by field. */
export function parseEventForm(values: EventFormValues, newId: () => string): { body?: CreateEventBody; errors: FormErrors } {
  const errors: FormErrors = {}
  const name = values.name.trim()
  if (!name) errors.name = 'Enter the event name.'
  else if (name.length > 120) errors.name = 'Use at most 120 characters.'
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(values.startsAt)) errors.startsAt = 'Enter the date and time the event starts.'
  if (!isTimeZone(values.timeZone)) errors.timeZone = 'Enter a time zone such as Europe/Berlin.'
  if (values.venue.length > 120) errors.venue = 'Use at most 120 characters.'
  const type = parseTicketType(values.ticketType, errors, 'type-')
  if (Object.keys(errors).length > 0 || !type) return { errors }
  return {
    body: {
      id: newId(),
      name,
      startsAt: values.startsAt,
      timeZone: values.timeZone,
      venue: values.venue.trim(),
      ticketTypes: [{ id: newId(), ...type }],
    },
    errors,
  }
}
