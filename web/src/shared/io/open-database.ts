// Opening an IndexedDB database so that an update of the app in another tab never leaves a tab
// hanging without a word. Both databases (the ticket worker's staging, the Check-in page's) open here.
import { openDB, type DBSchema, type IDBPDatabase, type OpenDBCallbacks } from 'idb'

/** This tab holds an old version open while another tab, on a newer one, waits for it. */
export const RELOAD_FOR_UPDATE = 'Boxoffice was updated in another tab. Reload this page to go on; nothing kept in this browser is lost.'
/** This tab, on a newer version, waits for tabs that still hold the old one open. */
export const CLOSE_OLD_TABS =
  'Boxoffice was updated, and another tab still runs the old version. Reload or close the other Boxoffice tabs to go on.'

export interface VersionNotices {
  /** A sentence for the page (one of the above), or null once it no longer applies. */
  onNotice(message: string | null): void
  /** Runs before this tab lets go of the database for a newer version (e.g. stops its writes). */
  beforeClose?(): Promise<void>
}

/**
 * `openDB`, plus what happens when tabs disagree on the version:
 *   - blocked: this tab opens a newer version while another holds an older one open; it waits,
 *     and the page says why until the other tab lets go
 *   - blocking: another tab wants a newer version (or to delete the database); this tab lets go
 *     at once (after `beforeClose`) and the page says to reload
 */
export async function openDatabase<Schema extends DBSchema>(
  name: string,
  version: number,
  upgrade: OpenDBCallbacks<Schema>['upgrade'],
  notices: VersionNotices,
): Promise<IDBPDatabase<Schema>> {
  let waited = false
  const database = await openDB<Schema>(name, version, {
    upgrade,
    blocked() {
      waited = true
      notices.onNotice(CLOSE_OLD_TABS)
    },
    blocking(_current, _next, event) {
      const connection = event.target as IDBDatabase
      void (notices.beforeClose?.() ?? Promise.resolve()).finally(() => {
        connection.close()
        notices.onNotice(RELOAD_FOR_UPDATE)
      })
    },
  })
  if (waited) notices.onNotice(null)
  return database
}
