import { expect, test } from './fixtures.ts'
import type { Page } from '@playwright/test'
import { readStagedBatches } from '@boxoffice/testkit/browser-staging'
import { slowChunkUploads } from './support/network.ts'

/** Chunks staged in IndexedDB, every batch. */
async function stagedChunkCount(page: Page): Promise<number> {
  return (await readStagedBatches(page)).reduce((sum, batch) => sum + batch.stagedChunks, 0)
}

test('Pause holds the batch, even across a reload (which shows what the server holds), and Resume finishes it exactly', async ({
  boxOffice,
  expectServerExact,
  context,
  page,
  apiClient,
}) => {
  // Past 20 chunks, uploads wait for the pause (and are then lost), so it lands mid-upload.
  let paused = false
  await slowChunkUploads(context, 40, { holdAfter: 20, lostWhen: () => paused })
  await boxOffice.open()
  const batchId = await boxOffice.generate({ quantity: 5_000 })
  await boxOffice.waitForProgress('Uploaded', 500)
  paused = true
  await page.getByRole('button', { name: 'Pause' }).click()
  await expect(boxOffice.status()).toHaveText('Paused')
  const uploaded = await boxOffice.progressValue('Uploaded')
  await page.waitForTimeout(1_000)
  expect(await boxOffice.progressValue('Uploaded')).toBe(uploaded)
  await page.reload()
  await expect(boxOffice.status()).toHaveText('Paused')
  // Not 0: the page asks the server how many of the batch's tickets it holds.
  const held = (await (await apiClient.get(`/api/batches/${batchId}`)).json()).ticketsReceived
  expect(held).toBeGreaterThanOrEqual(uploaded)
  await expect(boxOffice.progress('Uploaded')).toHaveAttribute('aria-valuenow', String(held))
  await page.waitForTimeout(1_000)
  expect(await stagedChunkCount(page)).toBeGreaterThan(0)
  paused = false
  await page.getByRole('button', { name: 'Resume' }).click()
  await boxOffice.waitForCompleted()
  await expectServerExact(batchId, 5_000)
  expect(await stagedChunkCount(page)).toBe(0)
})

test('Cancel discards the staged tickets and says how many were already on the server', async ({ boxOffice, context, page, apiClient }) => {
  let cancelled = false
  await slowChunkUploads(context, 60, { holdAfter: 20, lostWhen: () => cancelled })
  await boxOffice.open()
  const batchId = await boxOffice.generate({ quantity: 5_000 })
  await boxOffice.waitForProgress('Uploaded', 500)
  cancelled = true
  await page.getByRole('button', { name: 'Cancel' }).click()
  const notice = page.getByRole('alert').filter({ hasText: 'Batch cancelled.' })
  await expect(notice).toBeVisible()
  const status = await (await apiClient.get(`/api/batches/${batchId}`)).json()
  expect(status.state).toBe('cancelled')
  await expect(notice).toHaveText(`Batch cancelled. ${status.ticketsReceived.toLocaleString('en-US')} tickets were already on the server.`)
  expect(status.ticketsReceived).toBeGreaterThanOrEqual(500)
  expect(status.ticketsReceived).toBeLessThan(5_000)
  expect(await stagedChunkCount(page)).toBe(0)
  await page.reload()
  await expect(page.locator('section[data-batch-id]')).toHaveCount(0)
  await expect(page.locator(`tr[data-batch-id="${batchId}"]`)).toContainText('cancelled')
})

test('offline, a new batch waits for the network to reserve its tickets, then generates and uploads', async ({
  boxOffice,
  expectServerExact,
  context,
  apiClient,
}) => {
  await boxOffice.open()
  await boxOffice.fillBatch({ quantity: 3_000 })
  await context.setOffline(true)
  await boxOffice.page.getByRole('button', { name: 'Generate tickets' }).click()
  const batchId = await boxOffice.batchId()
  await expect(boxOffice.status()).toContainText('Waiting for network')
  // Nothing is generated before the server has accepted the batch (and its capacity).
  expect(await boxOffice.progressValue('Generated')).toBe(0)
  expect(await boxOffice.progressValue('Uploaded')).toBe(0)
  // The test runner's own requests are not affected by the browser being offline.
  expect((await apiClient.get(`/api/batches/${batchId}`)).status()).toBe(404)
  await context.setOffline(false)
  await boxOffice.waitForCompleted()
  await expectServerExact(batchId, 3_000)
})
