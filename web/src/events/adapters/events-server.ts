// The events API calls of the Events page (docs/api.md, "Events, ticket types and capacity").
import type { CreateEventBody, EventList, EventView, TicketTypeBody, TicketTypeView } from '@boxoffice/tickets'
import { apiRequest } from '../../shared/io/request.ts'

export const eventsServer = {
  list: async (): Promise<EventView[]> => (await apiRequest<EventList>('GET', '/events')).events,
  create: (body: CreateEventBody) => apiRequest<EventView>('POST', '/events', body),
  putTicketType: (eventId: string, typeId: string, body: TicketTypeBody) =>
    apiRequest<TicketTypeView>('PUT', `/events/${eventId}/ticket-types/${typeId}`, body),
}
