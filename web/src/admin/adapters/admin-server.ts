// The Admin page's API calls (docs/api.md: "Accounts", "Gate devices", "The audit log").
import type {
  AccountChangeBody,
  AccountList,
  AccountView,
  AuditList,
  DeviceList,
  DeviceView,
  NewAccountBody,
  NewDevice,
  RefusedCheckinList,
} from '@boxoffice/tickets'
import { API_BASE, apiRequest } from '../../shared/io/request.ts'
import { auditQueryString, type AuditFilter } from '../core/audit-filter.ts'

export const adminServer = {
  accounts: async () => (await apiRequest<AccountList>('GET', '/accounts')).accounts,
  addAccount: (body: NewAccountBody) => apiRequest<AccountView>('POST', '/accounts', body),
  changeAccount: (username: string, change: AccountChangeBody) =>
    apiRequest<AccountView>('PATCH', `/accounts/${encodeURIComponent(username)}`, change),
  setTemporaryPassword: (username: string, temporaryPassword: string) =>
    apiRequest<AccountView>('PUT', `/accounts/${encodeURIComponent(username)}/password`, { temporaryPassword }),

  devices: async () => (await apiRequest<DeviceList>('GET', '/devices')).devices,
  registerDevice: (name: string) => apiRequest<NewDevice>('POST', '/devices', { name }),
  revokeDevice: (id: string) => apiRequest<DeviceView>('POST', `/devices/${encodeURIComponent(id)}/revoke`, {}),
  refusedCheckins: async () => (await apiRequest<RefusedCheckinList>('GET', '/devices/refused-checkins')).checkins,

  audit: (filter: AuditFilter, before?: number) => apiRequest<AuditList>('GET', `/audit?${auditQueryString(filter, before)}`),
  /** A link the browser downloads itself (the session cookie rides along). */
  auditCsvUrl: (filter: AuditFilter) => `${API_BASE}/audit.csv?${auditQueryString(filter)}`,
}

export type AdminServer = typeof adminServer
