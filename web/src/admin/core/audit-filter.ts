// The Admin page's audit filters as the API's query string: empty fields are left out, and a
// day typed into "to" covers that whole day.

export interface AuditFilter {
  actor: string
  /** An action (`batch.completed`) or a kind (`batch.`); empty for all. */
  action: string
  /** `YYYY-MM-DD`, from the date inputs; empty for no bound. */
  from: string
  to: string
}

export const NO_AUDIT_FILTER: AuditFilter = { actor: '', action: '', from: '', to: '' }

/** The kinds of action the filter offers (docs/api.md, "The audit log"). */
export const AUDIT_KINDS = [
  ['', 'Everything'],
  ['session.', 'Sign-ins and passwords'],
  ['account.', 'Accounts'],
  ['device.', 'Gate devices'],
  ['batch.', 'Batches'],
  ['ticket.', 'Ticket revocations'],
  ['export.', 'Exports'],
  ['checkin.', 'Check-in syncs'],
  ['event.', 'Events and capacity'],
] as const

const DAY = /^\d{4}-\d{2}-\d{2}$/

export function auditQueryString(filter: AuditFilter, before?: number): string {
  const query = new URLSearchParams()
  if (filter.actor.trim()) query.set('actor', filter.actor.trim())
  if (filter.action) query.set('action', filter.action)
  if (filter.from) query.set('from', filter.from)
  // "To 3 December" means until the end of that day.
  if (filter.to) query.set('to', DAY.test(filter.to) ? `${filter.to}T23:59:59.999Z` : filter.to)
  if (before !== undefined) query.set('before', String(before))
  return query.toString()
}
