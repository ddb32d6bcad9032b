import type { Page } from '@playwright/test'

/** What the page has staged in IndexedDB, read from any page of the app's origin. */
export interface StagedBatch {
  id: string
  generatedCount: number
  stagedChunks: number
}

export async function readStagedBatches(page: Page): Promise<StagedBatch[]> {
  return page.evaluate(
    () =>
      new Promise<StagedBatch[]>((resolve, reject) => {
        const open = indexedDB.open('boxoffice-staging')
        let absent = false
        open.onerror = () => (absent ? resolve([]) : reject(open.error))
        // Not created yet: leave it to the app rather than create it empty here.
        open.onupgradeneeded = () => {
          absent = true
          open.transaction?.abort()
        }
        open.onsuccess = () => {
          const db = open.result
          const tx = db.transaction(['batches', 'chunks'])
          const found: StagedBatch[] = []
          const batches = tx.objectStore('batches').getAll()
          batches.onsuccess = () => {
            for (const { id, generatedCount } of batches.result as { id: string; generatedCount: number }[]) {
              const count = tx.objectStore('chunks').count(IDBKeyRange.bound([id, 0], [id, Number.MAX_SAFE_INTEGER]))
              count.onsuccess = () => found.push({ id, generatedCount, stagedChunks: count.result })
            }
          }
          tx.oncomplete = () => {
            db.close()
            resolve(found)
          }
          tx.onerror = () => reject(tx.error)
        }
      }),
  )
}

/**
 * Holds the app's staging back at a transaction boundary, as soon as `atLeast` tickets of a batch
 * are staged: opens read-write transactions on the `batches` store from the page until one sees
 * that many, then keeps that one busy until the page goes away. Every staging transaction needs
 * that store too, so none can commit meanwhile; generation stops after the group of chunks in
 * hand, with nothing of it committed. Watching and holding in one place, in the page, leaves no
 * gap between them in which a fast generation could finish. Resolves, once the hold is in place,
 * with each batch's committed `generatedCount`.
 */
export async function holdStaging(page: Page, atLeast = 0): Promise<Record<string, number>> {
  return page.evaluate(
    (atLeast) =>
      new Promise<Record<string, number>>((resolve, reject) => {
        const open = indexedDB.open('boxoffice-staging')
        open.onerror = () => reject(open.error)
        open.onsuccess = () => {
          const look = () => {
            const store = open.result.transaction('batches', 'readwrite').objectStore('batches')
            const batches = store.getAll()
            batches.onerror = () => reject(batches.error)
            batches.onsuccess = () => {
              const counts = batches.result as { id: string; generatedCount: number }[]
              // Not yet: this transaction ends, staging goes on, and the next one looks again.
              if (!counts.some(({ generatedCount }) => generatedCount >= atLeast)) return void setTimeout(look, 5)
              resolve(Object.fromEntries(counts.map(({ id, generatedCount }) => [id, generatedCount])))
              // A transaction with a request always pending never commits, so it never lets go.
              const spin = () => {
                store.count().onsuccess = spin
              }
              spin()
            }
          }
          look()
        }
      }),
    atLeast,
  )
}
