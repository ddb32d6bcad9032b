import type { Page } from '@playwright/test'
import { BoxOfficePage, expect, test } from './fixtures.ts'
import { chunksInUpload } from './support/network.ts'

test('two tabs on one unfinished batch: only one uploads, the other takes over when it closes', async ({ context, expectServerExact }) => {
  const putsByPage = new Map<Page, number>()
  let slow = true
  await context.route('**/api/batches/*/chunks/*', async (route) => {
    // Requests from a dedicated worker are attributed to the frame of the page that owns it.
    const owner = route.request().frame().page()
    putsByPage.set(owner, (putsByPage.get(owner) ?? 0) + 1)
    if (slow) await new Promise((resolve) => setTimeout(resolve, 200 * chunksInUpload(route.request().url())))
    await route.continue().catch(() => {})
  })
  const first = new BoxOfficePage(await context.newPage())
  await first.open()
  const batchId = await first.generate({ quantity: 10_000 })
  await first.waitForProgress('Uploaded', 300)

  const second = new BoxOfficePage(await context.newPage())
  await second.open()
  await expect(second.status()).toHaveText('Uploading in another tab')
  await second.page.waitForTimeout(1_500)
  expect(putsByPage.get(second.page) ?? 0).toBe(0)
  expect(await first.progressValue('Uploaded')).toBeLessThan(10_000)

  await first.page.close()
  await expect(second.status()).not.toHaveText('Uploading in another tab')
  slow = false
  await second.waitForCompleted()
  expect(putsByPage.get(second.page) ?? 0).toBeGreaterThan(0)
  await expectServerExact(batchId, 10_000)
})
