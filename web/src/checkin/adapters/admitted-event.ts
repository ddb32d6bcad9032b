// The event this device admits and the other events' batches its kit named, in localStorage: a
// few hundred kilobytes at most, read once when the page starts, and kept apart from the kit's
// IndexedDB store so that the kit's schema did not change for it.
import type { AdmittedEvent } from '../ports.ts'

const KEY = 'boxoffice.checkin.admitted-event'

export const localAdmittedEvent = {
  load(): AdmittedEvent | undefined {
    try {
      const stored = JSON.parse(localStorage.getItem(KEY) ?? 'null') as AdmittedEvent | null
      return stored && typeof stored.eventId === 'string' && Array.isArray(stored.otherBatches) ? stored : undefined
    } catch {
      return undefined
    }
  },
  save(event: AdmittedEvent): void {
    try {
      localStorage.setItem(KEY, JSON.stringify(event))
    } catch {
      // Storage full or blocked: the choice lasts until the page is closed.
    }
  },
}
