import { expect, test } from './fixtures.ts'
import { acksOf, chunksInUpload } from './support/network.ts'

test('a reload during generation resumes from the last staged serial with the same key', async ({ boxOffice, expectServerExact, page }) => {
  await boxOffice.open()
  const quantity = 60_000
  const batchId = await boxOffice.generate({ quantity })
  await boxOffice.waitForProgress('Generated', 5_000)
  const before = await boxOffice.progressValue('Generated')
  expect(before).toBeLessThan(quantity)
  await page.reload()
  // Picks the batch up by itself, from where staging had got to rather than from zero.
  await expect(page.locator(`section[data-batch-id="${batchId}"]`)).toBeVisible()
  expect(await boxOffice.progressValue('Generated')).toBeGreaterThanOrEqual(before - 250)
  await boxOffice.waitForCompleted()
  await expectServerExact(batchId, quantity)
})

test('a reload during upload asks the server what it holds and sends only the rest', async ({
  boxOffice,
  expectServerExact,
  page,
  context,
  apiClient,
}) => {
  let mode: 'slow' | 'refuse' | 'record' = 'slow'
  const sentAfterReload: { index: number; duplicate: boolean }[] = []
  const refusing = () => mode === 'refuse'
  // At most 40 chunks (and the run that crosses it) get through before the reload: the rest wait
  // for the network to go, so the upload is unfinished however fast the page sends.
  let passed = 0
  const networkGone = async () => {
    while (mode === 'slow') await new Promise((resolve) => setTimeout(resolve, 20))
  }
  await context.route('**/api/batches/*/chunks/*', async (route) => {
    if (mode === 'slow' && passed >= 40) await networkGone()
    if (mode === 'refuse') return route.abort('connectionreset').catch(() => {})
    if (mode === 'record') {
      const response = await route.fetch()
      sentAfterReload.push(...acksOf(await response.json()))
      return route.fulfill({ response })
    }
    passed += chunksInUpload(route.request().url())
    await new Promise((resolve) => setTimeout(resolve, 40 * chunksInUpload(route.request().url())))
    // Still on its way when the network went: it never arrives (mode may have changed meanwhile).
    if (refusing()) return route.abort('connectionreset').catch(() => {})
    await route.continue().catch(() => {})
  })
  await boxOffice.open()
  const quantity = 6_000
  const batchId = await boxOffice.generate({ quantity })
  await boxOffice.waitForProgress('Uploaded', 1_500)
  // Nothing more gets through until the reloaded page is up: the old page cannot add to the server.
  mode = 'refuse'
  await page.waitForTimeout(500)
  const committedBefore: [number, number][] = (await (await apiClient.get(`/api/batches/${batchId}`)).json()).committedChunks
  const heldBefore = committedBefore.flatMap(([first, last]) => Array.from({ length: last - first + 1 }, (_, i) => first + i))
  expect(heldBefore.length).toBeGreaterThanOrEqual(30)
  await page.reload()
  mode = 'record'
  await expect(page.locator(`section[data-batch-id="${batchId}"]`)).toBeVisible()
  await boxOffice.waitForCompleted()
  await expectServerExact(batchId, quantity)
  // Only what the server lacked was sent: no chunk it held again, none twice, none it already had.
  const sentIndexes = sentAfterReload.map(({ index }) => index)
  expect(sentIndexes.filter((index) => heldBefore.includes(index))).toEqual([])
  expect(new Set(sentIndexes).size).toBe(sentIndexes.length)
  expect(sentAfterReload.filter(({ duplicate }) => duplicate)).toEqual([])
  expect(sentIndexes.length).toBeGreaterThanOrEqual(quantity / 50 - heldBefore.length - 4)
})
