import { expect, test } from './fixtures.ts'

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

test('a reload during upload asks the server what it holds and sends only the rest', async ({ boxOffice, expectServerExact, page, context, api, request }) => {
  let mode: 'slow' | 'refuse' | 'record' = 'slow'
  const sentAfterReload: number[] = []
  await context.route('**/api/batches/*/chunks/*', async (route) => {
    if (mode === 'refuse') return route.abort('connectionreset')
    if (mode === 'record') {
      sentAfterReload.push(Number(/\/chunks\/(\d+)$/.exec(route.request().url())![1]))
      return route.continue()
    }
    await new Promise((resolve) => setTimeout(resolve, 40))
    await route.continue().catch(() => {})
  })
  await boxOffice.open()
  const quantity = 6_000
  const batchId = await boxOffice.generate({ quantity })
  await boxOffice.waitForProgress('Uploaded', 1_500)
  // Freeze the server's state: nothing more gets through until the reload is done.
  mode = 'refuse'
  await page.waitForTimeout(500)
  const committedBefore: [number, number][] = (await (await request.get(`${api.baseURL}/api/batches/${batchId}`)).json()).committedChunks
  const held = new Set(committedBefore.flatMap(([first, last]) => Array.from({ length: last - first + 1 }, (_, i) => first + i)))
  expect(held.size).toBeGreaterThanOrEqual(30)
  mode = 'record'
  await page.reload()
  await expect(page.locator(`section[data-batch-id="${batchId}"]`)).toBeVisible()
  await boxOffice.waitForCompleted()
  await expectServerExact(batchId, quantity)
  // Exactly the chunks the server lacked were sent, each once.
  const missing = Array.from({ length: quantity / 50 }, (_, i) => i).filter((index) => !held.has(index))
  expect([...sentAfterReload].sort((a, b) => a - b)).toEqual(missing)
})
