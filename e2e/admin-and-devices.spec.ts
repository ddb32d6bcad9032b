// The box office run from the page (issue 16): an admin registers a gate device, the device checks
// a ticket in offline, the admin revokes it, and its later sync is refused and shown for review;
// accounts, roles, temporary passwords, ticket lookup, revocation and the audit log, each page
// as its role sees it.
import { formatTicketNumber } from '@boxoffice/tickets'
import { batchTokens, serverCheckins } from '@boxoffice/testkit/server-tickets'
import type { ApiProcess } from '@boxoffice/testkit/api-process'
import type { Browser, Page } from '@playwright/test'
import { BoxOfficePage, expect, test } from './fixtures.ts'
import { checkAtPhoneWidth, expectAccessible } from './support/accessibility.ts'
import { CheckinDesk } from './support/checkin-desk.ts'

test.use({ timezoneId: 'UTC' })

/** A small completed batch, generated through the page, and its tokens by serial. */
async function completedBatch(boxOffice: BoxOfficePage, api: ApiProcess, quantity = 20) {
  await boxOffice.open()
  const batchId = await boxOffice.generate({ quantity, event: 'Spring Gala', ticketType: 'General admission', price: '45.00' })
  await boxOffice.waitForCompleted()
  const tokens = await batchTokens(api.database, batchId)
  expect(tokens).toHaveLength(quantity)
  return { batchId, tokens }
}

async function openAdmin(page: Page) {
  await page.getByRole('link', { name: 'Admin' }).click()
  await expect(page.getByRole('heading', { name: 'Gate devices' })).toBeVisible()
}

/** The links of the page navigation. */
async function navLinks(page: Page) {
  return page.getByRole('navigation', { name: 'Pages' }).getByRole('link').allTextContents()
}

async function inNewContext<T>(browser: Browser, api: ApiProcess, run: (page: Page) => Promise<T>): Promise<T> {
  const context = await browser.newContext({ baseURL: api.baseURL, timezoneId: 'UTC' })
  try {
    return await run(await context.newPage())
  } finally {
    await context.close()
  }
}

test('an admin adds a gate device; it checks a ticket in offline; the admin revokes it; its later sync is refused and shown for review', async ({
  boxOffice,
  page,
  browser,
  api,
}) => {
  const { batchId, tokens } = await completedBatch(boxOffice, api)
  await openAdmin(page)
  await page.getByLabel('Device name').fill('North gate')
  await page.getByRole('button', { name: 'Register device' }).click()
  const link = await page.getByTestId('device-link').getAttribute('href')
  expect(link).toMatch(/\/#device=[A-Za-z0-9_-]{43}$/)
  await expect(page.getByRole('img', { name: 'QR code of the link for North gate' }).locator('svg')).toBeVisible()
  await expectAccessible(page, 'the Admin page with a new device link')
  await page.getByRole('button', { name: 'Done' }).click()
  const row = page.locator('tr[data-device="North gate"]')
  await expect(row).toContainText('Active')
  await expect(row).toContainText('never')

  const context = await browser.newContext({ baseURL: api.baseURL, timezoneId: 'UTC' })
  try {
    const device = await context.newPage()
    await device.goto(link!)
    await expect(device.getByText('Gate device')).toContainText('North gate')
    expect(device.url()).not.toContain('device=')
    expect(await navLinks(device)).toEqual(['Check-in'])
    // The link opens the Check-in page itself, ready for the first scan.
    const desk = new CheckinDesk(device)
    await expect(device.getByRole('heading', { name: 'Check-in', exact: true })).toBeVisible()
    await expect(desk.tokenField).toBeFocused()
    await desk.admit('Spring Gala')
    await desk.prepareForOffline([batchId])

    await context.setOffline(true)
    await desk.checkIn(tokens[3]!)
    await expect(desk.result()).toHaveText(/^Valid/)
    await expect(desk.pending()).toContainText('1')

    // Meanwhile the admin revokes the device.
    await row.getByRole('button', { name: 'Revoke North gate' }).click()
    await expect(page.getByRole('dialog', { name: 'Revoke North gate?' })).toBeVisible()
    await page.getByRole('button', { name: 'Revoke device' }).click()
    await expect(row).toContainText('Revoked')

    await context.setOffline(false)
    await device.getByRole('button', { name: 'Sync now' }).click()
    await expect(device.getByRole('alert').filter({ hasText: 'This device was revoked by an admin' })).toBeVisible()
    await expect(desk.result()).toBeVisible()
  } finally {
    await context.close()
  }

  expect((await serverCheckins(api.database, batchId)).map((checkin) => checkin.serial)).toEqual([])
  await page.reload()
  await openAdmin(page)
  await expect(row).toContainText('Revoked')
  await expect(row.locator('td.number')).toHaveText('1')
  const refused = page.getByRole('table', { name: 'Refused check-ins, for review' })
  await expect(refused).toContainText(formatTicketNumber(batchId, 3))
  await expect(refused).toContainText('North gate')
  await expect(refused).toContainText('Spring Gala')
  await page.getByLabel('What').selectOption('device.')
  await page.getByRole('button', { name: 'Show' }).click()
  const audit = page.getByRole('table', { name: 'Audit log' })
  await expect(audit.locator('tr[data-action]')).toHaveCount(3)
  await expect(audit.locator('tr[data-action="device.sync_refused"]')).toContainText('device:North gate')
  await expect(audit.locator('tr[data-action="device.revoked"]')).toContainText('admin')
  await expect(page.getByRole('link', { name: 'Download CSV' })).toHaveAttribute('href', '/api/audit.csv?action=device.')
  await expectAccessible(page, 'the Admin page with a revoked device and refused check-ins')
  await checkAtPhoneWidth(page, 'admin-phone')
})

test('accounts from the Admin page: a temporary password is changed at the first sign-in, and each role sees its own pages', async ({
  boxOffice,
  page,
  browser,
  api,
}) => {
  const { batchId, tokens } = await completedBatch(boxOffice, api)
  expect(await navLinks(page)).toEqual(['Batches', 'Events', 'Dashboard', 'Ticket lookup', 'Check-in', 'Admin'])
  await openAdmin(page)
  for (const [username, role] of [
    ['sue', 'staff'],
    ['gina', 'gate'],
  ] as const) {
    await page.getByLabel('Username').fill(username)
    await page.getByLabel('Role', { exact: true }).selectOption(role)
    await page.getByLabel('Temporary password').fill(`temporary ${username}`)
    await page.getByRole('button', { name: 'Add account' }).click()
    await expect(page.locator(`tr[data-account="${username}"]`)).toContainText('must change password')
  }
  await expectAccessible(page, 'the Admin page with accounts')

  await inNewContext(browser, api, async (sue) => {
    await sue.goto('/')
    await new BoxOfficePage(sue).signIn('sue', 'temporary sue')
    await expect(sue.getByRole('heading', { name: 'Choose your own password' })).toBeVisible()
    await expect(sue.getByRole('navigation', { name: 'Pages' })).toHaveCount(0)
    await expectAccessible(sue, 'the forced password change')
    await sue.getByLabel('Temporary password').fill('temporary sue')
    await sue.getByLabel('New password (at least 8 characters)').fill('short')
    await sue.getByLabel('New password again').fill('short')
    await sue.getByRole('button', { name: 'Change password' }).click()
    await expect(sue.getByRole('alert')).toHaveText('The new password must be at least 8 characters.')
    await sue.getByLabel('New password (at least 8 characters)').fill('sue chose this')
    await sue.getByLabel('New password again').fill('sue chose this')
    await sue.getByRole('button', { name: 'Change password' }).click()
    await expect(sue.getByRole('button', { name: 'Generate tickets' })).toBeVisible()
    expect(await navLinks(sue)).toEqual(['Batches', 'Events', 'Dashboard', 'Ticket lookup', 'Check-in'])
    // The Admin page is not hers, even by its address.
    await sue.goto('/#admin')
    await expect(sue.getByRole('button', { name: 'Generate tickets' })).toBeVisible()
    await expect(sue.getByRole('heading', { name: 'Gate devices' })).toHaveCount(0)
  })

  await inNewContext(browser, api, async (gina) => {
    await gina.goto('/#batches')
    await new BoxOfficePage(gina).signIn('gina', 'temporary gina')
    await gina.getByLabel('Temporary password').fill('temporary gina')
    await gina.getByLabel('New password (at least 8 characters)').fill('gina at the door')
    await gina.getByLabel('New password again').fill('gina at the door')
    await gina.getByRole('button', { name: 'Change password' }).click()
    await expect(gina.getByRole('heading', { name: 'Check-in', exact: true })).toBeVisible()
    expect(await navLinks(gina)).toEqual(['Check-in'])
    await expect(gina.getByRole('button', { name: 'Generate tickets' })).toHaveCount(0)
  })

  // Ticket lookup and revocation, as the admin.
  await page.getByRole('link', { name: 'Ticket lookup' }).click()
  const number = formatTicketNumber(batchId, 7)
  await page.getByLabel('Token or ticket number').fill(number.toLowerCase())
  await page.getByRole('button', { name: 'Look up' }).click()
  await expect(page.getByRole('heading', { name: `Ticket ${number}` })).toBeVisible()
  await expect(page.getByTestId('ticket-state')).toHaveText('Issued, not checked in')
  await expectAccessible(page, 'a ticket found by its number')
  await checkAtPhoneWidth(page, 'lookup-phone')
  await page.setViewportSize({ width: 1280, height: 800 })
  await page.getByLabel(/Reason for revoking/).fill('refunded')
  await page.getByRole('button', { name: 'Revoke ticket' }).click()
  await expect(page.getByTestId('ticket-state')).toHaveText('Revoked')
  await expect(page.getByText(/by admin: refunded/)).toBeVisible()
  await page.getByLabel('Token or ticket number').fill(tokens[8]!)
  await page.getByRole('button', { name: 'Look up' }).click()
  await expect(page.getByRole('heading', { name: `Ticket ${formatTicketNumber(batchId, 8)}` })).toBeVisible()
  await page.getByLabel('Token or ticket number').fill('not a ticket')
  await page.getByRole('button', { name: 'Look up' }).click()
  await expect(page.getByRole('alert')).toContainText('neither a ticket number')

  // A whole batch, from the batch list, after a confirmation.
  await page.getByRole('link', { name: 'Batches' }).click()
  const batchRow = page.locator(`tr[data-batch-id="${batchId}"]`)
  await batchRow.getByRole('button', { name: /^Revoke batch: / }).click()
  const dialog = page.getByRole('dialog', { name: 'Revoke all 20 tickets?' })
  await expect(dialog).toBeVisible()
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await expect(batchRow.getByRole('button', { name: /^Revoke batch: / })).toBeVisible()
  await batchRow.getByRole('button', { name: /^Revoke batch: / }).click()
  await dialog.getByLabel(/Reason/).fill('event cancelled')
  await dialog.getByRole('button', { name: 'Revoke batch' }).click()
  await expect(batchRow).toContainText('Revoked')
  await page.getByRole('link', { name: 'Ticket lookup' }).click()
  await page.getByLabel('Token or ticket number').fill(formatTicketNumber(batchId, 9))
  await page.getByRole('button', { name: 'Look up' }).click()
  await expect(page.getByText(/\(the whole batch\): event cancelled/)).toBeVisible()
})
