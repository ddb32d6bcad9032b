import { expect, test } from './fixtures.ts'
import { refuseChunk, slowChunkUploads } from './support/network.ts'

test('offline for several seconds mid-upload: waits for the network, then finishes exactly', async ({
  boxOffice,
  expectServerExact,
  context,
}) => {
  let offline = false
  await slowChunkUploads(context, 30, { lostWhen: () => offline, holdAfter: 20 })
  await boxOffice.open()
  const batchId = await boxOffice.generate({ quantity: 4_000 })
  await boxOffice.waitForProgress('Uploaded', 500)
  offline = true
  await context.setOffline(true)
  await expect(boxOffice.status()).toContainText('Waiting for network', { timeout: 15_000 })
  // Requests that were already past the network when it dropped may still land; then nothing moves.
  await boxOffice.page.waitForTimeout(1_000)
  const uploadedWhileOffline = await boxOffice.progressValue('Uploaded')
  await boxOffice.page.waitForTimeout(4_000)
  expect(await boxOffice.progressValue('Uploaded')).toBe(uploadedWhileOffline)
  offline = false
  await context.setOffline(false)
  await boxOffice.waitForCompleted()
  await expectServerExact(batchId, 4_000)
})

test('a flaky network (30% aborted, 10% committed but answer lost) loses and doubles nothing', async ({
  boxOffice,
  expectServerExact,
  context,
}) => {
  let seed = 42
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31
  let aborted = 0
  let lostAnswers = 0
  await context.route('**/api/batches/*/chunks/*', async (route) => {
    const roll = random()
    if (roll < 0.3) {
      aborted++
      return route.abort('connectionreset')
    }
    if (roll < 0.4) {
      lostAnswers++
      await route.fetch() // the server commits the chunk…
      return route.abort('connectionreset') // …and the page never hears about it
    }
    return route.continue()
  })
  await boxOffice.open()
  const batchId = await boxOffice.generate({ quantity: 2_000 })
  await boxOffice.waitForCompleted()
  expect(aborted).toBeGreaterThan(0)
  expect(lostAnswers).toBeGreaterThan(0)
  await expectServerExact(batchId, 2_000)
})

test('503 with Retry-After for a while: the page shows it is retrying, then finishes', async ({
  boxOffice,
  expectServerExact,
  context,
}) => {
  // Every chunk request is refused for the first 3 s, so that all uploads are waiting to retry.
  let refusals = 0
  let refuseUntil = 0
  await context.route('**/api/batches/*/chunks/*', async (route) => {
    refuseUntil ||= Date.now() + 3_000
    if (Date.now() < refuseUntil) {
      refusals++
      return route.fulfill({
        status: 503,
        headers: { 'retry-after': '1', 'content-type': 'application/json' },
        body: JSON.stringify({ error: { code: 'UNAVAILABLE', message: 'maintenance' } }),
      })
    }
    return route.continue()
  })
  await boxOffice.open()
  const batchId = await boxOffice.generate({ quantity: 1_000 })
  await expect(boxOffice.status()).toContainText(/retrying in \d+ s \(attempt \d+\)/)
  await boxOffice.waitForCompleted()
  expect(refusals).toBeGreaterThan(0)
  await expectServerExact(batchId, 1_000)
})

test('a non-retryable rejection is shown, the data stays staged, and Resume finishes exactly', async ({
  boxOffice,
  expectServerExact,
  context,
  page,
  apiClient,
}) => {
  let rejectChunk7 = true
  await refuseChunk(context, 7, { status: 422, error: { code: 'TOKEN_INVALID', message: 'token signature invalid' } }, () => rejectChunk7)
  await boxOffice.open()
  const batchId = await boxOffice.generate({ quantity: 1_000 })
  await expect(boxOffice.status()).toHaveText('Failed: Server rejected chunk 7 (tickets 350–399): token signature invalid')
  const status = await (await apiClient.get(`/api/batches/${batchId}`)).json()
  expect(status.state).toBe('open')
  expect(status.committedChunks.flat()).not.toContain(7)
  // Still failed, with its data, after a reload: it waits for the user.
  await page.reload()
  await expect(boxOffice.status()).toHaveText(/^Failed: Server rejected chunk 7/)
  rejectChunk7 = false
  await page.getByRole('button', { name: 'Resume' }).click()
  await boxOffice.waitForCompleted()
  await expectServerExact(batchId, 1_000)
})
