// The check-in API calls of the page (docs/api.md, "Check-in at the gate").
import type { CheckinKit, CheckinResult, CheckinSyncResult, CheckinEventList } from '@boxoffice/tickets'
import { apiRequest } from '../../shared/io/request.ts'
import type { CheckinServer } from '../ports.ts'

/**
 * A scan waits this long for the server before the device decides offline. Wi-Fi that is connected
 * but carries nothing would otherwise keep a queue at the gate waiting for as long as fetch does.
 */
const CHECKIN_TIMEOUT_MS = 4_000

export const httpCheckinServer: CheckinServer = {
  checkIn: (body) => apiRequest<CheckinResult>('POST', '/checkins', body, { timeoutMs: CHECKIN_TIMEOUT_MS }),
  sync: (body) => apiRequest<CheckinSyncResult>('POST', '/checkins/sync', body),
  kit: (eventId) => apiRequest<CheckinKit>('GET', `/checkin-kit?eventId=${encodeURIComponent(eventId)}`),
  events: async () => (await apiRequest<CheckinEventList>('GET', '/checkin-kit/events')).events,
}
