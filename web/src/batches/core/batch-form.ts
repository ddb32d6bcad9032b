import { MAX_EVENT_LENGTH, MAX_PRICE_MINOR, MAX_QUANTITY, MAX_TICKET_TYPE_LENGTH } from '@boxoffice/tickets'
import type { BatchRequest } from './local-batch.ts'

export interface BatchFormValues {
  event: string
  ticketType: string
  price: string
  currency: string
  quantity: string
}

export type BatchFormErrors = Partial<Record<keyof BatchFormValues, string>>

/** Checks the form as the API will, so that people see problems next to the field, before generating. */
export function parseBatchForm(values: BatchFormValues): { request?: BatchRequest; errors: BatchFormErrors } {
  const errors: BatchFormErrors = {}
  const event = values.event.trim()
  const ticketType = values.ticketType.trim()
  if (!event) errors.event = 'Enter the event name.'
  else if (event.length > MAX_EVENT_LENGTH) errors.event = `Use at most ${MAX_EVENT_LENGTH} characters.`
  if (!ticketType) errors.ticketType = 'Enter a ticket type, for example “General admission”.'
  else if (ticketType.length > MAX_TICKET_TYPE_LENGTH) errors.ticketType = `Use at most ${MAX_TICKET_TYPE_LENGTH} characters.`

  const price = values.price.trim()
  let amountMinor = 0
  if (!/^\d+(\.\d{1,2})?$/.test(price)) errors.price = 'Enter a price such as 25 or 25.50 (0 for free tickets).'
  else {
    const [whole, fraction = ''] = price.split('.')
    amountMinor = Number(whole) * 100 + Number(fraction.padEnd(2, '0'))
    if (amountMinor > MAX_PRICE_MINOR) errors.price = `The price can be at most ${MAX_PRICE_MINOR / 100}.`
  }
  if (!/^[A-Z]{3}$/.test(values.currency)) errors.currency = 'Choose a currency.'

  const quantityText = values.quantity.trim().replaceAll(',', '').replaceAll('_', '')
  const quantity = Number(quantityText)
  if (!/^\d+$/.test(quantityText) || !Number.isSafeInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
    errors.quantity = `Enter a whole number from 1 to ${MAX_QUANTITY.toLocaleString('en-US')}.`
  }

  if (Object.keys(errors).length > 0) return { errors }
  return { request: { event, ticketType, price: { amountMinor, currency: values.currency }, quantity }, errors }
}

/** Rough bytes of browser storage a staged ticket takes (its 64-byte signature and record overhead, about 70 on disk), with margin. */
export const STAGED_BYTES_PER_TICKET = 150

/** Why `quantity` tickets will not fit in the browser storage `estimate` reports, if they will not. */
export function storageProblem(quantity: number, estimate: { quota?: number; usage?: number } | undefined): string | undefined {
  if (!estimate) return undefined
  const { quota = 0, usage = 0 } = estimate
  const needed = quantity * STAGED_BYTES_PER_TICKET
  if (quota - usage >= needed) return undefined
  const mb = (bytes: number) => `${Math.ceil(bytes / 1_000_000)} MB`
  return `Not enough browser storage for ${quantity.toLocaleString('en-US')} tickets: about ${mb(needed)} is needed and ${mb(Math.max(0, quota - usage))} is free. Free some space or generate a smaller batch.`
}
