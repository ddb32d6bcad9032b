import { apiProcessFixture, test as base, BoxOfficePage, expect } from './fixtures.ts'
import type { ApiProcess } from '@boxoffice/testkit/api-process'
import { BrowserProfile } from './support/browser-profile.ts'
import { ChunkTap } from './support/network.ts'
import { generatedBarValues, recordGeneratedBarIn } from './support/progress-recorder.ts'
import { committedChunkIndexes } from '@boxoffice/testkit/server-tickets'
import { holdStaging, readStagedBatches } from '@boxoffice/testkit/browser-staging'

const test = base.extend<{ profile: BrowserProfile }, { api: ApiProcess }>({
  // These tests kill and restart the API, so the file gets an API process and database of its own.
  api: apiProcessFixture,
  // A browser profile on disk with the launch options of playwright.config.ts.
  profile: async ({ playwright, launchOptions, headless, baseURL }, use) => {
    const profile = new BrowserProfile(playwright.chromium, { ...launchOptions, headless, baseURL: baseURL! })
    await use(profile)
    await profile.dispose()
  },
})

const CHUNK = 50

test('API killed with SIGKILL mid-upload and restarted on the same database: the page waits, resumes by itself, every acknowledged chunk survived, exactly 20,000 tickets', async ({
  api,
  boxOffice,
  context,
  expectServerExact,
}) => {
  const quantity = 20_000
  const tap = await ChunkTap.attach(context, { delayMs: 20 })
  await boxOffice.open()
  const batchId = await boxOffice.generate({ quantity })
  await expect.poll(() => tap.acks.length, { intervals: [50] }).toBeGreaterThanOrEqual(60)

  const ackedBeforeKill = tap.ackedIndexes()
  await api.stop('SIGKILL')
  expect(ackedBeforeKill.length).toBeLessThan(quantity / CHUNK)
  // The page says it is retrying rather than failing.
  await expect(boxOffice.status()).toContainText('Waiting for network')
  await expect(boxOffice.status()).toHaveAttribute('data-phase', 'waiting-network')

  // Restart on the same port and file; hold uploads until the file has been checked, so that what
  // it holds was written before the kill, not sent again since.
  const release = tap.hold()
  await api.start()
  const committed = new Set(await committedChunkIndexes(api.database, batchId))
  expect(ackedBeforeKill.filter((index) => !committed.has(index))).toEqual([])
  const acksBeforeRestart = tap.acks.length
  release()

  // Back to work by itself, without a reload or a click (still generating, if it was).
  await expect(boxOffice.status()).toHaveAttribute('data-phase', /^(generating|uploading)$/)
  await boxOffice.waitForCompleted()
  await expectServerExact(batchId, quantity)
  // Nothing the server acknowledged before the kill had to be sent again.
  const acked = new Set(ackedBeforeKill)
  expect(tap.acks.slice(acksBeforeRestart).filter(({ index }) => acked.has(index))).toEqual([])
})

for (const stop of ['closed', 'killed'] as const) {
  test(`browser ${stop} mid-generation: reopened on the same profile, it resumes from the last staged serial and the server gets exactly 20,000`, async ({
    profile,
    expectServerExact,
  }) => {
    const quantity = 20_000
    const first = await profile.launch()
    const boxOffice = new BoxOfficePage(first.page)
    await boxOffice.open()
    const batchId = await boxOffice.generate({ quantity })
    // Stop the browser while a staging transaction waits to commit: an orderly close takes long
    // enough that generation could otherwise finish first. IndexedDB itself says how far staging
    // got (the progress bar lags a little behind it): the hold takes effect once 2,000 are staged.
    const committedBeforeStop = (await holdStaging(first.page, 2_000))[batchId]!
    expect(committedBeforeStop).toBeLessThan(quantity)
    if (stop === 'killed') await profile.kill()
    else await profile.close()

    const second = await profile.launch()
    await recordGeneratedBarIn(second.context)
    // Look at the profile's staging before the app starts (any page of the origin will do).
    await second.page.goto('/api/health')
    const [staged] = await readStagedBatches(second.page)
    expect(staged?.id).toBe(batchId)
    // Every committed transaction survived. Killed, the transaction that was waiting is lost; closed
    // in order, the page lets go of its hold first and the worker may commit a little more.
    if (stop === 'killed') expect(staged!.generatedCount).toBe(committedBeforeStop)
    else expect(staged!.generatedCount).toBeGreaterThanOrEqual(committedBeforeStop)
    expect(staged!.generatedCount).toBeLessThan(quantity)

    // Signs in again if the session cookie did not outlive the browser; the batch resumes either way.
    const reopened = new BoxOfficePage(second.page)
    await reopened.open()
    await expect(second.page.locator(`section[data-batch-id="${batchId}"]`)).toBeVisible()
    await reopened.waitForCompleted()
    // Generation went on from the staged serial: the bar never showed less than what was staged.
    expect(Math.min(...(await generatedBarValues(second.page)))).toBeGreaterThanOrEqual(staged!.generatedCount)
    await expectServerExact(batchId, quantity)
  })

  test(`browser ${stop} mid-upload: reopened on the same profile, it sends only what the server lacks and finishes exactly`, async ({
    profile,
    expectServerExact,
  }) => {
    // More chunks than the upload window holds, so that some are still to send when the browser stops.
    const quantity = 40_000
    const first = await profile.launch()
    const before = await ChunkTap.attach(first.context, { delayMs: 30 })
    const boxOffice = new BoxOfficePage(first.page)
    await boxOffice.open()
    const batchId = await boxOffice.generate({ quantity })
    await boxOffice.waitForProgress('Uploaded', quantity / 5)
    // No new upload gets through while the browser goes down (an orderly close takes a moment).
    const release = before.hold()
    if (stop === 'killed') await profile.kill()
    else await profile.close()
    release()
    const ackedBeforeStop = before.ackedIndexes()
    expect(ackedBeforeStop.length).toBeLessThan(quantity / CHUNK)

    const second = await profile.launch()
    const after = await ChunkTap.attach(second.context)
    const reopened = new BoxOfficePage(second.page)
    await reopened.open()
    await expect(second.page.locator(`section[data-batch-id="${batchId}"]`)).toBeVisible()
    await reopened.waitForCompleted()
    await expectServerExact(batchId, quantity)
    // It asked the server what it held: nothing acknowledged before the stop went again.
    const acked = new Set(ackedBeforeStop)
    expect(after.acks.filter(({ index }) => acked.has(index))).toEqual([])
    expect(after.acks.length).toBeGreaterThan(0)
  })
}
