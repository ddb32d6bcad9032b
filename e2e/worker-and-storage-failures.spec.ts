import { expect, test } from './fixtures.ts'

test('a ticket worker that cannot be loaded is said on the page instead of leaving it waiting', async ({ boxOffice, page, context }) => {
  await context.route('**/assets/ticket-worker-*.js', (route) => route.fulfill({ status: 404, body: 'not here' }))
  await boxOffice.open()
  await expect(page.getByRole('alert')).toHaveText(
    /^Boxoffice stopped working in this tab \(the ticket worker stopped: its script could not be loaded\)\. .*reload the page/,
  )
})

test('a tab holding staging open is told to reload when another tab opens a newer version of it', async ({ boxOffice, page }) => {
  await boxOffice.open()
  // The app's worker opens staging at start (it lists the unfinished batches), maybe after the
  // page is up: on a fresh profile the database exists once the worker has opened it, and it keeps
  // it open. A newer version of the app in another tab would open it at a higher version, as this does.
  await expect
    .poll(() => page.evaluate(async () => (await indexedDB.databases()).find(({ name }) => name === 'boxoffice-staging')?.version))
    .toBe(2)
  const opened = await page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('boxoffice-staging', 99)
        open.onerror = () => reject(open.error)
        open.onsuccess = () => {
          const { version } = open.result
          open.result.close()
          resolve(version)
        }
      }),
  )
  expect(opened, 'the old tab let go of the database').toBe(99)
  await expect(page.getByRole('alert')).toHaveText(
    'Boxoffice was updated in another tab. Reload this page to go on; nothing kept in this browser is lost.',
  )
})

test('a tab on a newer version waits for an old tab holding staging open, says so, and goes on once it closes', async ({
  boxOffice,
  page,
  context,
}) => {
  // The old tab: staging at version 1 (as the app made it), held open and deaf to version changes.
  const old = await context.newPage()
  await old.goto('/api/health')
  await old.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('boxoffice-staging', 1)
        open.onupgradeneeded = () => {
          open.result.createObjectStore('batches', { keyPath: 'id' })
          open.result.createObjectStore('chunks', { keyPath: ['batchId', 'index'] })
        }
        open.onerror = () => reject(open.error)
        open.onsuccess = () => {
          ;(globalThis as { heldOpen?: IDBDatabase }).heldOpen = open.result
          resolve()
        }
      }),
  )
  await boxOffice.open()
  await expect(page.getByRole('alert')).toHaveText(
    'Boxoffice was updated, and another tab still runs the old version. Reload or close the other Boxoffice tabs to go on.',
  )
  await old.close()
  await expect(page.getByRole('alert')).toHaveCount(0)
  await boxOffice.generate({ quantity: 100 })
  await boxOffice.waitForCompleted()
})

test('the Check-in page is told to reload when another tab opens a newer version of its database', async ({ boxOffice, page }) => {
  await boxOffice.open()
  await page.getByRole('link', { name: 'Check-in' }).click()
  await expect(page.getByText('No check-ins waiting to sync')).toBeVisible()
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('boxoffice-checkin', 99)
        open.onerror = () => reject(open.error)
        open.onsuccess = () => {
          open.result.close()
          resolve()
        }
      }),
  )
  await expect(page.getByRole('alert')).toHaveText(
    'Boxoffice was updated in another tab. Reload this page to go on; nothing kept in this browser is lost.',
  )
})
