// Which page the app shows, from the URL's hash, so a reload stays on it (and needs no server routes).

export type PageName = 'batches' | 'events' | 'dashboard' | 'checkin'

export const PAGE_HASHES: Record<PageName, string> = {
  batches: '#batches',
  events: '#events',
  dashboard: '#dashboard',
  checkin: '#checkin',
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
