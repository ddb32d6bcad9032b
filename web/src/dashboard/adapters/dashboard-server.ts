// The door dashboard's API call (docs/api.md, "GET /api/events/:id/dashboard").
import type { DoorDashboard } from '@boxoffice/tickets'
import { apiRequest } from '../../shared/io/request.ts'

export const fetchDashboard = (eventId: string) => apiRequest<DoorDashboard>('GET', `/events/${encodeURIComponent(eventId)}/dashboard`)
