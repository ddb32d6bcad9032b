import { readFile } from 'node:fs/promises'
import type { APIRequestContext, Download, Locator, Page } from '@playwright/test'
import { formatTicketNumber, formatTicketPrice, CSRF_HEADER, CSRF_HEADER_VALUE } from '@boxoffice/tickets'
// The API tests' readers: a strict RFC 4180 parser, and pdf-lib + jsQR decoding each drawn QR code.
import { parseCsv } from '@boxoffice/testkit/csv-reader'
import { readPdf } from '@boxoffice/testkit/pdf-reader'
import { prepareSignedBatch, uploadPrepared } from '@boxoffice/testkit/signed-batch'
import { expect, test } from './fixtures.ts'
import { expireSession } from './support/sessions.ts'
import { readServerBatch, tokenVerifies } from '@boxoffice/testkit/server-tickets'

function batchRow(page: Page, batchId: string): Locator {
  return page.locator(`tr[data-batch-id="${batchId}"]`)
}

/** Clicks `button` and returns the browser download it starts, saved to disk by Playwright. */
async function downloadBy(page: Page, button: Locator): Promise<{ download: Download; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), button.click()])
  expect(await download.failure()).toBeNull()
  return { download, bytes: await readFile(await download.path()) }
}

/** A completed batch of `quantity` tickets made from Node (signed and uploaded as bench does), created as admin. */
async function uploadCompletedBatch(apiClient: APIRequestContext, baseURL: string, quantity: number, event: string): Promise<string> {
  const batch = await prepareSignedBatch(quantity, event)
  const cookie = (await apiClient.storageState()).cookies.map(({ name, value }) => `${name}=${value}`).join('; ')
  await uploadPrepared(baseURL, { cookie, [CSRF_HEADER]: CSRF_HEADER_VALUE }, batch, 4)
  return batch.body.id
}

test('500 tickets generated in the page download as a CSV matching the server database and a PDF whose QR codes decode to every token', async ({
  boxOffice,
  api,
  page,
  expectServerExact,
}) => {
  await boxOffice.open()
  // From here on nothing may fail in the page (a CSP refusal, a failed request); before sign-in the session check is a 401.
  const consoleErrors: string[] = []
  page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()))
  const batchId = await boxOffice.generate({ event: 'Gala, "Live" 2026', ticketType: 'Balcony', price: '45.50', quantity: 500 })
  await boxOffice.waitForCompleted()
  await expectServerExact(batchId, 500)
  const server = await readServerBatch(api.database, batchId)
  const row = batchRow(page, batchId)
  await expect(row).toContainText('completed')

  await test.step('CSV: header and 500 rows, each serial once, equal to the database, every token verifying', async () => {
    const { download, bytes } = await downloadBy(page, row.getByRole('button', { name: 'Download CSV' }))
    expect(download.suggestedFilename()).toBe(`Gala-Live-2026-Balcony-${batchId.slice(0, 8)}.csv`)
    const [header, ...rows] = parseCsv(bytes.toString('utf8'))
    expect(header).toEqual(['serial', 'ticket_number', 'token', 'event', 'ticket_type', 'price'])
    expect(rows).toHaveLength(500)
    expect(new Set(rows.map(([serial]) => serial))).toEqual(new Set(Array.from({ length: 500 }, (_, serial) => String(serial))))
    expect(server.tickets).toHaveLength(500)
    expect(rows).toEqual(
      server.tickets.map(({ serial, token }) => [
        String(serial),
        formatTicketNumber(batchId, serial),
        token,
        server.event,
        server.ticketType,
        formatTicketPrice(server.price),
      ]),
    )
    expect(server).toMatchObject({ event: 'Gala, "Live" 2026', ticketType: 'Balcony', price: { amountMinor: 4550, currency: 'EUR' } })
    const unverified = rows.filter(([serial, , token]) => !tokenVerifies(token!, batchId, Number(serial), server.publicKey))
    expect(unverified).toEqual([])
  })

  await test.step('PDF, eight to an A4 sheet: 63 pages whose 500 QR codes decode to the tokens in serial order', async () => {
    await row.getByLabel('PDF layout').selectOption('a4-8')
    const { download, bytes } = await downloadBy(page, row.getByRole('button', { name: 'Download PDF' }))
    expect(download.suggestedFilename()).toBe(`Gala-Live-2026-Balcony-${batchId.slice(0, 8)}.pdf`)
    const pdf = await readPdf(bytes)
    expect(pdf.pageCount).toBe(63)
    expect(pdf.pages.map((sheet) => sheet.qrCodes.length)).toEqual([...Array(62).fill(8), 4])
    expect(pdf.pages.flatMap((sheet) => sheet.qrCodes)).toEqual(server.tickets.map(({ token }) => token))
  })

  // Downloads leave the app where it was.
  await expect(page.getByRole('button', { name: 'Generate tickets' })).toBeVisible()
  expect(consoleErrors).toEqual([])
})

test('a batch over 5,000 tickets says it prints as several PDF files and downloads each part on its own', async ({
  boxOffice,
  api,
  apiClient,
  page,
}) => {
  const batchId = await uploadCompletedBatch(apiClient, api.baseURL, 5_001, 'Parts test')
  await boxOffice.open()
  const row = batchRow(page, batchId)
  let downloads = 0
  page.on('download', () => downloads++)

  await row.getByRole('button', { name: 'Download PDF' }).click()
  await expect(row).toContainText('This batch prints as 2 PDF files of at most 5,000 tickets each.')
  const files = row.getByRole('list', { name: 'PDF files' }).getByRole('button')
  await expect(files).toHaveText(['Tickets 0–4,999 (5,000 pages)', 'Ticket 5,000 (1 page)'])
  expect(downloads).toBe(0)

  // The parts follow the layout: another layout lists its own page counts.
  await row.getByLabel('PDF layout').selectOption('a4-8')
  await expect(files).toHaveCount(0)
  await row.getByRole('button', { name: 'Download PDF' }).click()
  await expect(files).toHaveText(['Tickets 0–4,999 (625 pages)', 'Ticket 5,000 (1 page)'])

  const { download, bytes } = await downloadBy(page, row.getByRole('button', { name: 'Ticket 5,000 (1 page)' }))
  expect(download.suggestedFilename()).toBe(`Parts-test-General-admission-${batchId.slice(0, 8)}-5000-5000.pdf`)
  const pdf = await readPdf(bytes)
  const last = (await readServerBatch(api.database, batchId)).tickets.at(-1)!
  expect(last.serial).toBe(5_000)
  expect(pdf.pages.map((sheet) => sheet.qrCodes)).toEqual([[last.token]])
})

test('a download clicked after the session ended says so and asks for a sign-in; signed in again, it downloads', async ({
  boxOffice,
  api,
  apiClient,
  context,
  page,
}) => {
  const batchId = await uploadCompletedBatch(apiClient, api.baseURL, 50, 'Expiry test')
  await boxOffice.open()
  // The list must have loaded first: its own request would otherwise meet the expired session.
  const download = batchRow(page, batchId).getByRole('button', { name: 'Download CSV' })
  await expect(download).toBeVisible()
  let downloads = 0
  page.on('download', () => downloads++)

  expect(await expireSession(context, api)).toBe(1)

  await download.click()
  await expect(page.getByRole('alert')).toHaveText('Your session has ended. Sign in again, then download the tickets.')
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible()
  expect(downloads).toBe(0)

  await boxOffice.signIn()
  const { bytes } = await downloadBy(page, download)
  expect(parseCsv(bytes.toString('utf8'))).toHaveLength(51)
})
