// The events and ticket types a batch can be made for (GET /api/events), with what each has left.
import type { EventList, EventView } from '@boxoffice/tickets'
import { apiRequest } from '../../shared/io/request.ts'

export async function fetchEvents(): Promise<EventView[]> {
  return (await apiRequest<EventList>('GET', '/events')).events
}
