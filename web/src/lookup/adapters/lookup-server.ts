// Ticket lookup and revocation (docs/api.md: "GET /api/tickets/lookup", "Revoking tickets and batches").
import type { TicketLookup } from '@boxoffice/tickets'
import { apiRequest } from '../../shared/io/request.ts'

export const lookupServer = {
  lookUp: (query: string) => apiRequest<TicketLookup>('GET', `/tickets/lookup?q=${encodeURIComponent(query.trim())}`),
  revokeTicket: (batchId: string, serial: number, reason: string) =>
    apiRequest('POST', `/batches/${encodeURIComponent(batchId)}/tickets/${serial}/revoke`, reason.trim() ? { reason: reason.trim() } : {}),
  revokeBatch: (batchId: string, reason: string) =>
    apiRequest('POST', `/batches/${encodeURIComponent(batchId)}/revoke`, reason.trim() ? { reason: reason.trim() } : {}),
}
