// Which page the app shows, from the URL's hash, so a reload stays on it (and needs no server
// routes); and which pages each role has, so nobody is shown a page whose calls answer 403.
import type { AccountRole } from '@boxoffice/tickets'

export type PageName = 'batches' | 'events' | 'dashboard' | 'lookup' | 'checkin' | 'admin'

export const PAGE_HASHES: Record<PageName, string> = {
  batches: '#batches',
  events: '#events',
  dashboard: '#dashboard',
  lookup: '#lookup',
  checkin: '#checkin',
  admin: '#admin',
}

export const PAGE_LABELS: Record<PageName, string> = {
  batches: 'Batches',
  events: 'Events',
  dashboard: 'Dashboard',
  lookup: 'Ticket lookup',
  checkin: 'Check-in',
  admin: 'Admin',
}

/** The pages of each role, in the navigation's order (docs/api.md, "Roles, and the routes each may use"). */
const ROLE_PAGES: Record<AccountRole, readonly PageName[]> = {
  admin: ['batches', 'events', 'dashboard', 'lookup', 'checkin', 'admin'],
  staff: ['batches', 'events', 'dashboard', 'lookup', 'checkin'],
  gate: ['checkin'],
}

export function pagesOf(role: AccountRole): readonly PageName[] {
  return ROLE_PAGES[role]
}

/** The page to show: the one asked for if the role has it, else the role's first (a gate's is Check-in). */
export function pageFor(role: AccountRole, asked: PageName): PageName {
  return ROLE_PAGES[role].includes(asked) ? asked : ROLE_PAGES[role][0]!
}

/** Anything unknown (or no hash at all) is the batches page, which the app always had. */
export function pageFromHash(hash: string): PageName {
  const named = (Object.keys(PAGE_HASHES) as PageName[]).find((page) => PAGE_HASHES[page] === hash)
  return named ?? 'batches'
}

/** The page on screen, following the hash (links, back and forward, reload). */
export class PageRoute {
  current = $state<PageName>('batches')

  constructor(target: Window) {
    this.current = pageFromHash(target.location.hash)
    target.addEventListener('hashchange', () => (this.current = pageFromHash(target.location.hash)))
  }
}
