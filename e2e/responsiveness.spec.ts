import { expect, test } from './fixtures.ts'

// One retry: a lone task just over the 50 ms line (51 ms, once in many runs) has been seen on this
// 2-core machine. A real regression (the work back on the main thread) fails both attempts.
test.describe.configure({ retries: 1 })

test('the main thread has no long task while 20,000 tickets are generated', async ({ boxOffice, page, expectServerExact }) => {
  // Observe from page load, from a normal page task: long tasks caused by page.evaluate are not reported.
  await page.addInitScript(() => {
    const w = window as unknown as { longTasks: { start: number; duration: number }[] }
    w.longTasks = []
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.longTasks.push({ start: entry.startTime, duration: entry.duration })
    }).observe({ type: 'longtask', buffered: true })
  })
  await boxOffice.open()
  await boxOffice.fillBatch({ quantity: 20_000 })
  await page.waitForTimeout(300)
  const clickedAt = await page.evaluate(() => performance.now())
  await page.getByRole('button', { name: 'Generate tickets' }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Continue' }).click()
  const batchId = await boxOffice.batchId()
  await expect(boxOffice.progress('Generated')).toHaveAttribute('aria-valuenow', '20000')
  const longTasks = await page.evaluate(
    (since) => (window as unknown as { longTasks: { start: number; duration: number }[] }).longTasks.filter((task) => task.start >= since),
    clickedAt,
  )
  expect(longTasks).toEqual([])
  await boxOffice.waitForCompleted()
  await expectServerExact(batchId, 20_000)
})
