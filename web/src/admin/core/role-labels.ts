import type { AccountRole } from '@boxoffice/tickets'

/** How the page names each role (docs/api.md, "Roles, and the routes each may use"). */
export const ROLE_LABELS: Record<AccountRole, string> = {
  admin: 'Admin',
  staff: 'Staff',
  gate: 'Gate (check-in only)',
}
