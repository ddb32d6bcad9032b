import { pageFromHash, type PageName } from './navigation.ts'

/** The page on screen, following the hash (links, back and forward, reload). */
export class PageRoute {
  current = $state<PageName>('batches')

  constructor(target: Window) {
    this.current = pageFromHash(target.location.hash)
    target.addEventListener('hashchange', () => (this.current = pageFromHash(target.location.hash)))
  }
}
