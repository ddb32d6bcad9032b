import { batchTokens } from '@boxoffice/testkit/server-tickets'
import { uuidFrom } from '@boxoffice/testkit/test-events'
import { expect, test } from './fixtures.ts'
import { checkAtPhoneWidth, expectAccessible } from './support/accessibility.ts'
import { CheckinDesk } from './support/checkin-desk.ts'

test('staff create an event with its ticket type in the page, raise and refuse to lower its capacity, and make a batch for it', async ({
  boxOffice,
  page,
}) => {
  await boxOffice.open()
  await page.getByRole('link', { name: 'Events' }).click()
  await expect(page.getByRole('heading', { name: 'New event' })).toBeVisible()
  const form = page.locator('form.new-event')
  await form.getByLabel('Event name').fill('Harbour Festival')
  await form.getByLabel('Venue').fill('Pier 4')
  await form.getByLabel('Time zone').fill('Europe/Lisbon')
  await form.getByLabel('Start').fill('2027-06-12T18:30')
  await form.getByLabel('Ticket type name').fill('Day pass')
  await form.getByLabel('Price').fill('35.00')
  await form.getByLabel('Capacity').fill('300')
  // Keyboard: Enter in the last field submits.
  await form.getByLabel('Capacity').press('Enter')
  const event = page.getByRole('article', { name: 'Harbour Festival' })
  await expect(event).toContainText('2027-06-12 18:30 (Europe/Lisbon) · Pier 4')
  await expect(event).toContainText('0 issued · 300 left')
  await expectAccessible(page, 'events page')

  await page.getByRole('link', { name: 'Batches' }).click()
  await expect(page.getByRole('button', { name: 'Generate tickets' })).toBeVisible()
  await page.getByLabel('Event').selectOption({ label: 'Harbour Festival · 2027-06-12 18:30' })
  await expect(page.getByLabel('Ticket type')).toHaveAccessibleDescription('300 of 300 left')
  await page.getByLabel('Quantity').fill('200')
  await page.getByRole('button', { name: 'Generate tickets' }).click()
  // Read again once the server reserved the batch's tickets, without a reload.
  await expect(page.getByLabel('Ticket type')).toHaveAccessibleDescription('100 of 300 left')
  await boxOffice.waitForCompleted()

  await page.getByRole('link', { name: 'Events' }).click()
  const dayPass = event.getByRole('form', { name: 'Ticket type Day pass' })
  await expect(dayPass).toContainText('200 issued · 100 left')
  await dayPass.getByLabel('Capacity').fill('150')
  await dayPass.getByRole('button', { name: 'Save' }).click()
  await expect(dayPass.getByRole('alert')).toHaveText('200 tickets of this type are already issued; the capacity cannot be lower than that')
  await dayPass.getByLabel('Capacity').fill('400')
  await dayPass.getByRole('button', { name: 'Save' }).click()
  await expect(event).toContainText('200 issued · 200 left')
})

test('every page and state has no serious or critical axe-core violation, and works at phone width; the dashboard follows a check-in live', async ({
  boxOffice,
  page,
  browser,
  baseURL,
  api,
}) => {
  // Signed out.
  const signedOut = await browser.newContext({ baseURL })
  const fresh = await signedOut.newPage()
  await fresh.goto('/')
  await expect(fresh.getByRole('button', { name: 'Sign in' })).toBeVisible()
  await expectAccessible(fresh, 'sign-in page')
  await checkAtPhoneWidth(fresh, 'sign-in-phone')
  await signedOut.close()

  await boxOffice.open()
  await boxOffice.fillBatch({ quantity: 0 })
  await page.getByRole('button', { name: 'Generate tickets' }).click()
  await expect(page.getByLabel('Quantity')).toHaveAttribute('aria-invalid', 'true')
  await expectAccessible(page, 'batch form with an error')
  await boxOffice.fillBatch({ quantity: 300 })
  await page.getByRole('button', { name: 'Generate tickets' }).click()
  const batchId = await boxOffice.batchId()
  await boxOffice.waitForCompleted()
  await expect(boxOffice.status()).toHaveText(/^Completed in [\d:]+: all 300 tickets are on the server \([\d,]+\/s overall\)$/)
  await expectAccessible(page, 'progress panel and batch list')
  await checkAtPhoneWidth(page, 'batches-phone')
  await page.setViewportSize({ width: 1280, height: 800 })
  // This browser no longer stages the finished batch; after a reload the panel comes from the server's record.
  await page.reload()
  await expect(page.locator(`section[data-batch-id="${batchId}"]`)).toBeVisible()
  await expect(boxOffice.status()).toHaveText(/^Completed in [\d:]+: all 300 tickets are on the server/)
  await expect(page.getByRole('progressbar', { name: 'Generated' })).toHaveAttribute('aria-valuenow', '300')
  await expect(page.getByText('All 300 done').first()).toBeVisible()
  await expect(page.getByRole('region', { name: /Last tickets generated/ })).toHaveCount(0)
  await expectAccessible(page, 'finished batch after a reload')

  await page.getByRole('link', { name: 'Events' }).click()
  await expect(page.getByRole('heading', { name: 'New event' })).toBeVisible()
  await checkAtPhoneWidth(page, 'events-phone')
  await page.setViewportSize({ width: 1280, height: 800 })

  await page.getByRole('link', { name: 'Dashboard' }).click()
  // The Events page also has fields labelled "Event…": wait for the dashboard's own.
  await expect(page.getByRole('heading', { name: 'Door dashboard' })).toBeVisible()
  await page.getByLabel('Event').selectOption(uuidFrom('event Summer Gala'))
  const counts = page.getByRole('table', { name: 'Door counts' })
  const total = counts.getByRole('row', { name: /^Total/ })
  await expect(total).toBeVisible()
  const checkedInBefore = Number((await total.getByRole('cell').nth(3).textContent())!.replaceAll(',', ''))
  await expectAccessible(page, 'door dashboard')
  // A check-in at another gate shows within 5 s, without a reload.
  const [token] = await batchTokens(api.database, batchId)
  const checkIn = await page.request.post('/api/checkins', { headers: { 'x-boxoffice-request': '1' }, data: { token } })
  expect((await checkIn.json()).result).toBe('valid')
  await expect(total.getByRole('cell').nth(3)).toHaveText(String(checkedInBefore + 1), { timeout: 5_000 })
  await expect(page.getByRole('img', { name: /^Check-ins per 5 minutes: / })).toBeVisible()
  await page.screenshot({ path: 'reports/screenshots/dashboard.png', fullPage: true })
  await checkAtPhoneWidth(page, 'dashboard-phone')
  await page.setViewportSize({ width: 1280, height: 800 })

  const desk = new CheckinDesk(page)
  await desk.open('Summer Gala')
  await expectAccessible(page, 'check-in page')
  const [, another] = await batchTokens(api.database, batchId)
  await desk.checkIn(another!)
  await expect(desk.result()).toHaveText(/^Valid/)
  await expectAccessible(page, 'check-in verdict Valid')
  await checkAtPhoneWidth(page, 'checkin-valid-phone')
  await page.setViewportSize({ width: 1280, height: 800 })
  await desk.checkIn(another!)
  await expect(desk.result()).toHaveText(/^Already checked in/)
  await expectAccessible(page, 'check-in verdict Already checked in')
  await checkAtPhoneWidth(page, 'checkin-already-phone')
  await page.setViewportSize({ width: 1280, height: 800 })
  await desk.checkIn('NOT A TICKET')
  await expect(desk.result()).toContainText('Invalid')
  await expectAccessible(page, 'check-in verdict Invalid')
  await checkAtPhoneWidth(page, 'checkin-phone')
})
