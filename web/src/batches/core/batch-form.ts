import { MAX_QUANTITY, type EventView, type TicketTypeView } from '@boxoffice/tickets'
import type { BatchRequest } from './local-batch.ts'

/** What the form holds: the chosen event and ticket type (ids) and the typed quantity. */
export interface BatchFormValues {
  eventId: string
  ticketTypeId: string
  quantity: string
}

export type BatchFormErrors = Partial<Record<keyof BatchFormValues, string>>

/** The chosen type of the chosen event, if both still exist. */
export function chosenType(events: readonly EventView[], values: Pick<BatchFormValues, 'eventId' | 'ticketTypeId'>) {
  const event = events.find((candidate) => candidate.id === values.eventId)
  const type = event?.ticketTypes.find((candidate) => candidate.id === values.ticketTypeId)
  return event && type ? { event, type } : undefined
}

/** "1,000 of 40,000 left" */
export function remainingText(type: TicketTypeView): string {
  if (type.remaining === 0) return `None left of ${type.capacity.toLocaleString('en-US')}`
  return `${type.remaining.toLocaleString('en-US')} of ${type.capacity.toLocaleString('en-US')} left`
}

/**
 * Checks the form as the API will, against the capacity as last read, so that people see problems
 * next to the field before generating; the server still decides, atomically.
 */
export function parseBatchForm(values: BatchFormValues, events: readonly EventView[]): { request?: BatchRequest; errors: BatchFormErrors } {
  const errors: BatchFormErrors = {}
  const chosen = chosenType(events, values)
  if (!events.some((event) => event.id === values.eventId)) errors.eventId = 'Choose the event.'
  else if (!chosen) errors.ticketTypeId = 'Choose a ticket type.'

  const quantityText = values.quantity.trim().replaceAll(',', '').replaceAll('_', '')
  const quantity = Number(quantityText)
  if (!/^\d+$/.test(quantityText) || !Number.isSafeInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
    errors.quantity = `Enter a whole number from 1 to ${MAX_QUANTITY.toLocaleString('en-US')}.`
  } else if (chosen && quantity > chosen.type.remaining) {
    errors.quantity =
      chosen.type.remaining === 0
        ? `No ${chosen.type.name} tickets are left: the capacity of ${chosen.type.capacity.toLocaleString('en-US')} is issued.`
        : `Only ${chosen.type.remaining.toLocaleString('en-US')} ${chosen.type.name} tickets are left.`
  }

  if (Object.keys(errors).length > 0 || !chosen) return { errors }
  const { event, type } = chosen
  return {
    request: { eventId: event.id, ticketTypeId: type.id, event: event.name, ticketType: type.name, price: type.price, quantity },
    errors,
  }
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
