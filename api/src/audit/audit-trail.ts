// Recording what people and devices do, as one audit entry per action (a million-ticket upload
// is one entry when its batch completes, not one per ticket or chunk).
import { userInfo } from 'node:os'
import type { FastifyRequest } from 'fastify'
import type { NewAuditEntry } from './audit-chain.ts'

/** Every action the log records; docs/api.md says when each is written. */
export type AuditAction =
  | 'session.signed_in'
  | 'session.sign_in_failed'
  | 'session.password_changed'
  | 'account.created'
  | 'account.role_changed'
  | 'account.disabled'
  | 'account.enabled'
  | 'account.temporary_password'
  | 'account.password_set'
  | 'account.signed_out'
  | 'device.registered'
  | 'device.revoked'
  | 'device.sync_refused'
  | 'batch.created'
  | 'batch.completed'
  | 'batch.cancelled'
  | 'batch.revoked'
  | 'ticket.revoked'
  | 'export.downloaded'
  | 'checkin.synced'
  | 'event.created'
  | 'event.changed'

export const DEFAULT_AUDIT_DAYS = 400
const USER_AGENT_LENGTH = 160

/** The entry for `request`: who (the signed-in account or device, else `actor`), from where, what. */
export function auditEntryOf(
  request: FastifyRequest,
  action: AuditAction,
  subject: string | null,
  detail: Record<string, unknown> = {},
  actor?: string,
): NewAuditEntry {
  const account = request.account
  const userAgent = request.headers['user-agent']
  return {
    at: new Date().toISOString(),
    actor: actor ?? account?.username ?? null,
    ip: request.ip ?? null,
    device: account?.device?.name ?? (typeof userAgent === 'string' ? userAgent.slice(0, USER_AGENT_LENGTH) : null),
    action,
    subject,
    detail: JSON.stringify(detail),
  }
}

/**
 * The entry for a change made on the server itself rather than through the API, by the operating
 * system's user who made it: with `pnpm boxoffice` (actor `cli:<user>`, device `command line`), or
 * by the server at start-up from its settings (actor `startup:<user>`, device `BOXOFFICE_ADMIN_PASSWORD`).
 */
export function serverSideEntry(
  origin: 'cli' | 'startup',
  action: AuditAction,
  subject: string | null,
  detail: Record<string, unknown> = {},
): NewAuditEntry {
  let user = 'unknown'
  try {
    user = userInfo().username
  } catch {
    // No passwd entry for the uid (some containers): the entry still says where it came from.
  }
  return {
    at: new Date().toISOString(),
    actor: `${origin}:${user}`,
    ip: null,
    device: origin === 'cli' ? 'command line' : 'BOXOFFICE_ADMIN_PASSWORD',
    action,
    subject,
    detail: JSON.stringify(detail),
  }
}

/**
 * Appends the entry once the action has happened. The action stands even if the log cannot be
 * written (the database failing between the two): that is logged as an error for the operator.
 */
export async function recordAudit(
  request: FastifyRequest,
  action: AuditAction,
  subject: string | null,
  detail?: Record<string, unknown>,
  actor?: string,
): Promise<void> {
  const entry = auditEntryOf(request, action, subject, detail, actor)
  try {
    await request.server.audit.append(entry)
  } catch (error) {
    request.log.error({ err: error, audit: entry }, 'audit entry could not be written')
  }
}
