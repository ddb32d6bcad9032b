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
  await boxOffice.fillBatch({ event: '   ', price: '12.345', quantity: 1_000_001 })
  await page.getByRole('button', { name: 'Generate tickets' }).click()
  await expect(page.getByLabel('Event')).toHaveAttribute('aria-invalid', 'true')
  await expect(page.getByLabel('Event')).toHaveAccessibleDescription('Enter the event name.')
  await expect(page.getByLabel('Price')).toHaveAccessibleDescription(/Enter a price such as 25/)
  await expect(page.getByLabel('Quantity')).toHaveAccessibleDescription('Enter a whole number from 1 to 1,000,000.')
  await expect(page.locator('section[data-batch-id]')).toHaveCount(0)
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
