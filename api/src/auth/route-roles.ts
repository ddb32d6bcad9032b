// Which roles may use each route. Every route behind a session states its rule in its config
// (`config: { roles: ... }`); one without a rule fails to register, so no route is open by
// oversight. The test table (api/test/route-roles.test.ts) tries every role on every route.
import type { AccountRole } from '@boxoffice/tickets'
import type { FastifyRequest, RouteOptions } from 'fastify'
import { PasswordChangeRequired, RoleForbidden } from '../errors.ts'
import { signedInAccount } from '../plugins/authentication.ts'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The roles that may use the route. */
    roles?: readonly AccountRole[]
  }
}

/** Check-in: scan, sync, the offline kit and the events to choose from. */
export const EVERY_ROLE: readonly AccountRole[] = ['admin', 'staff', 'gate']
/** Batches, exports, events read and the door dashboard: box-office staff. */
export const STAFF_ROLES: readonly AccountRole[] = ['admin', 'staff']
/** Accounts. */
export const ADMIN_ONLY: readonly AccountRole[] = ['admin']

/** onRoute hook: refuses to register a route without a role rule. */
export function requireRoleRule(route: RouteOptions): void {
  const roles = (route.config as { roles?: readonly AccountRole[] } | undefined)?.roles
  if (!roles || roles.length === 0) {
    throw new Error(`${route.method} ${route.url}: a route behind a session must say which roles may use it (config.roles)`)
  }
}

/** onRequest hook after requireSession: the signed-in account's role must be one the route allows. */
export async function enforceRoleRule(request: FastifyRequest): Promise<void> {
  const account = signedInAccount(request)
  if (account.mustChangePassword) {
    throw new PasswordChangeRequired('this account signed in with a temporary password: change it first (PUT /api/session/password)')
  }
  const roles = request.routeOptions.config.roles ?? []
  if (!roles.includes(account.role)) {
    throw new RoleForbidden(
      `the ${account.role} role may not use ${request.method} ${request.routeOptions.url}; it takes ${roles.join(' or ')}`,
    )
  }
}
