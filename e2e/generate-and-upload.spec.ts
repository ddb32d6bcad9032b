import { readStagedBatches } from '@boxoffice/testkit/browser-staging'
import { expect, test } from './fixtures.ts'

test('2,000 tickets are generated, uploaded and completed, each exactly once on the server', async ({
  boxOffice,
  expectServerExact,
  page,
}) => {
  await boxOffice.open()
  const batchId = await boxOffice.generate({ quantity: 2_000 })
  await boxOffice.waitForCompleted()
  await expect(boxOffice.progress('Generated')).toHaveAttribute('aria-valuenow', '2000')
  await expect(boxOffice.progress('Uploaded')).toHaveAttribute('aria-valuenow', '2000')
  await expect(boxOffice.progress('Uploaded')).toHaveAttribute('aria-valuemax', '2000')
  await expect(page.getByRole('table', { name: 'Last tickets generated' }).getByRole('row')).toHaveCount(11)
  await expect(page.getByRole('table', { name: 'Last tickets generated' })).toContainText('1,999')
  await expectServerExact(batchId, 2_000)
  // The batch list shows what the server holds.
  await expect(page.locator(`tr[data-batch-id="${batchId}"]`)).toContainText('completed')
})

test('invalid input gets a message next to the field and generates nothing', async ({ boxOffice, page }) => {
  await boxOffice.open()
  await boxOffice.fillBatch({ quantity: 1_000_001 })
  await page.getByRole('button', { name: 'Generate tickets' }).click()
  await expect(page.getByLabel('Quantity')).toHaveAttribute('aria-invalid', 'true')
  await expect(page.getByLabel('Quantity')).toHaveAccessibleDescription('Enter a whole number from 1 to 1,000,000.')
  await expect(page.locator('section[data-batch-id]')).toHaveCount(0)
})

test('the form says what a ticket type has left, refuses more before generating, and the server refuses a batch that no longer fits', async ({
  boxOffice,
  page,
}) => {
  await boxOffice.open()
  const club = { event: 'Small club', ticketType: 'Door', price: '10.00', capacity: 100 }
  const { ticketTypeId } = await boxOffice.ensureTicketType(club)
  const headers = { 'x-boxoffice-request': '1' }
  await boxOffice.fillBatch({ ...club, quantity: 101 })
  await expect(page.getByLabel('Ticket type')).toHaveAccessibleDescription('100 of 100 left')
  await page.getByRole('button', { name: 'Generate tickets' }).click()
  await expect(page.getByLabel('Quantity')).toHaveAccessibleDescription('Only 100 Door tickets are left.')
  await expect(page.locator('section[data-batch-id]')).toHaveCount(0)
  // Another box office takes 60 meanwhile; this form still thinks 100 are left.
  const other = await page.request.post('/api/batches', {
    headers,
    data: { id: crypto.randomUUID(), ticketTypeId, quantity: 60, publicKey: 'dyuecjEb9IoQy_9zvQBy-deijdHoIVvA6DEkKWL7N_Y' },
  })
  expect(other.status(), await other.text()).toBe(201)
  await page.getByLabel('Quantity').fill('50')
  await page.getByRole('button', { name: 'Generate tickets' }).click()
  const panel = page.locator('section[data-batch-id]')
  await expect(panel).toContainText('only 40 are left', { timeout: 30_000 })
  await expect(page.getByRole('progressbar', { name: 'Generated' })).toHaveAttribute('aria-valuenow', '0')
})

test('over 5,000 tickets asks for confirmation, and Cancel generates nothing', async ({ boxOffice, page, apiClient }) => {
  await boxOffice.open()
  const before = (await (await apiClient.get(`/api/batches`)).json()).batches.length
  await boxOffice.fillBatch({ quantity: 5_001 })
  await page.getByRole('button', { name: 'Generate tickets' }).click()
  const dialog = page.getByRole('dialog')
  await expect(dialog).toBeVisible()
  await expect(dialog).toContainText('5,001')
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await expect(dialog).toBeHidden()
  await page.waitForTimeout(500)
  await expect(page.locator('section[data-batch-id]')).toHaveCount(0)
  const staged = (await readStagedBatches(page)).length
  expect(staged).toBe(0)
  expect((await (await apiClient.get(`/api/batches`)).json()).batches.length).toBe(before)

  // 5,000 itself needs no confirmation.
  await boxOffice.fillBatch({ quantity: 5_000 })
  await page.getByRole('button', { name: 'Generate tickets' }).click()
  await expect(page.locator('section[data-batch-id]')).toBeVisible()
  await expect(dialog).toHaveCount(0)
  await boxOffice.waitForCompleted()
})
