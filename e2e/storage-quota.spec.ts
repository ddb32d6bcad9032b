import { test as base, BoxOfficePage, expect } from './fixtures.ts'
import { BrowserProfile } from './support/browser-profile.ts'
import { ChunkTap } from './support/network.ts'
import { generatedBarValues, recordGeneratedBarNow } from './support/progress-recorder.ts'
import { exactReport, inspectServerTickets } from '@boxoffice/testkit/server-tickets'
import { readStagedBatches } from '@boxoffice/testkit/browser-staging'

const test = base.extend<{ profile: BrowserProfile }>({
  // Quota overrides apply to a profile on disk, not to Playwright's default incognito context.
  profile: async ({ playwright, launchOptions, headless, baseURL }, use) => {
    const profile = new BrowserProfile(playwright.chromium, { ...launchOptions, headless, baseURL: baseURL! })
    await use(profile)
    await profile.dispose()
  },
})

test('storage full while staging: generation stops with a clear message, every staged ticket uploads, and Resume after freeing space finishes exactly', async ({
  api,
  profile,
  expectServerExact,
}) => {
  const quantity = 10_000
  const { context, page } = await profile.launch()
  const boxOffice = new BoxOfficePage(page)
  await boxOffice.open()
  // Room for roughly 4,000 staged tickets (about 70 bytes each on disk). Chromium's
  // navigator.storage.estimate() keeps reporting usage + 10 GiB, so the page's pre-check passes.
  const cdp = await context.newCDPSession(page)
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: api.baseURL, quotaSize: 300_000 })
  // Nothing leaves the browser until generation has stopped, so staging fills up.
  const tap = await ChunkTap.attach(context)
  const release = tap.hold()
  const batchId = await boxOffice.generate({ quantity })

  await expect(page.getByRole('alert').filter({ hasText: 'Generation stopped' })).toHaveText(
    'Generation stopped: This browser ran out of storage space while staging tickets. Everything staged so far is kept.',
  )
  const generated = await boxOffice.progressValue('Generated')
  expect(generated).toBeGreaterThan(0)
  expect(generated).toBeLessThan(quantity)
  expect(generated % 50).toBe(0)
  // What was staged is all there, and the page says it is uploading it, not generating.
  expect(await readStagedBatches(page)).toEqual([{ id: batchId, generatedCount: generated, stagedChunks: generated / 50 }])
  await expect(boxOffice.status()).toHaveText('Uploading…')

  release()
  const stopped = `Stopped: this browser ran out of storage space after generating ${generated.toLocaleString('en-US')} of ${quantity.toLocaleString('en-US')} tickets. Nothing generated is lost. Free some space, then Resume to generate the rest.`
  await expect(boxOffice.status()).toHaveText(stopped)
  await expect(boxOffice.progress('Uploaded')).toHaveAttribute('aria-valuenow', String(generated))
  await expect(page.getByRole('button', { name: 'Resume' })).toBeEnabled()
  // The server holds exactly what was generated: serials 0 … generated−1, once each; the batch stays open.
  expect(await inspectServerTickets(api.database, batchId, generated)).toEqual(exactReport(generated, 'open'))

  // Space freed: Resume generates the rest, from where staging stopped.
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: api.baseURL })
  await recordGeneratedBarNow(page)
  await page.getByRole('button', { name: 'Resume' }).click()
  await boxOffice.waitForCompleted()
  await expectServerExact(batchId, quantity)
  expect(Math.min(...(await generatedBarValues(page)))).toBeGreaterThanOrEqual(generated)
  // Each chunk went up once: nothing uploaded before the stop was sent again.
  expect(tap.acks.filter(({ duplicate }) => duplicate)).toEqual([])
  expect(tap.acks.length).toBe(quantity / 50)
})

test('the storage pre-check refuses a batch that clearly does not fit, and says how much space it needs', async ({
  boxOffice,
  page,
  apiClient,
}) => {
  // Chromium always reports usage + 10 GiB to pages, so this browser's figures are stood in for
  // ones a full device reports (Firefox and Safari report what is really left).
  await page.addInitScript(() => {
    Object.defineProperty(navigator.storage, 'estimate', { value: async () => ({ quota: 5_000_000, usage: 1_000_000 }) })
  })
  await boxOffice.open()
  const newestBatch = async () => (await (await apiClient.get('/api/batches?limit=1')).json()).batches[0]?.id
  const newestBefore = await newestBatch()
  await boxOffice.fillBatch({ quantity: 40_000 })
  await page.getByRole('button', { name: 'Generate tickets' }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Continue' }).click()
  await expect(page.getByRole('alert')).toHaveText(
    'Not enough browser storage for 40,000 tickets: about 6 MB is needed and 4 MB is free. Free some space or generate a smaller batch.',
  )
  // Nothing was started: no batch on the page, none on the server.
  await expect(page.locator('section[data-batch-id]')).toHaveCount(0)
  expect(await newestBatch()).toBe(newestBefore)
  // A batch that fits still starts.
  await boxOffice.fillBatch({ quantity: 1_000 })
  await page.getByRole('button', { name: 'Generate tickets' }).click()
  await boxOffice.waitForCompleted()
})
