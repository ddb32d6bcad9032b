import { CSRF_HEADER, CSRF_HEADER_VALUE } from '@boxoffice/tickets'
import { test as base, expect, request as requestFactory, type APIRequestContext, type Page } from '@playwright/test'
import { ADMIN_PASSWORD, ADMIN_USER, ApiProcess } from '@boxoffice/testkit/api-process'
import { exactReport, inspectServerTickets } from '@boxoffice/testkit/server-tickets'

/** Drives the Boxoffice page the way box-office staff do. */
export class BoxOfficePage {
  constructor(readonly page: Page) {}

  /** Opens the app and signs in when it asks. */
  async open() {
    await this.page.goto('/')
    await expect(this.page.getByRole('heading', { name: 'Boxoffice' })).toBeVisible()
    const signIn = this.page.getByRole('button', { name: 'Sign in' })
    const generate = this.page.getByRole('button', { name: 'Generate tickets' })
    await expect(signIn.or(generate).first()).toBeVisible()
    if (await signIn.isVisible()) await this.signIn()
    await expect(generate).toBeVisible()
  }

  async signIn(username = ADMIN_USER, password = ADMIN_PASSWORD) {
    await this.page.getByLabel('Username').fill(username)
    await this.page.getByLabel('Password').fill(password)
    await this.page.getByRole('button', { name: 'Sign in' }).click()
  }

  async fillBatch(options: { event?: string; ticketType?: string; price?: string; quantity: number }) {
    await this.page.getByLabel('Event').fill(options.event ?? 'Summer Gala')
    await this.page.getByLabel('Ticket type').fill(options.ticketType ?? 'General admission')
    await this.page.getByLabel('Price').fill(options.price ?? '25.00')
    await this.page.getByLabel('Quantity').fill(String(options.quantity))
  }

  /** Fills the form, clicks Generate (confirming large batches) and returns the new batch's id. */
  async generate(options: { event?: string; ticketType?: string; price?: string; quantity: number }): Promise<string> {
    await this.fillBatch(options)
    await this.page.getByRole('button', { name: 'Generate tickets' }).click()
    if (options.quantity > 5_000) await this.page.getByRole('dialog').getByRole('button', { name: 'Continue' }).click()
    return this.batchId()
  }

  async batchId(): Promise<string> {
    const panel = this.page.locator('section[data-batch-id]')
    await expect(panel).toBeVisible()
    return (await panel.getAttribute('data-batch-id'))!
  }

  status() {
    return this.page.getByRole('status')
  }

  progress(name: 'Generated' | 'Uploaded') {
    return this.page.getByRole('progressbar', { name })
  }

  async progressValue(name: 'Generated' | 'Uploaded'): Promise<number> {
    return Number(await this.progress(name).getAttribute('aria-valuenow'))
  }

  async waitForProgress(name: 'Generated' | 'Uploaded', atLeast: number) {
    await expect.poll(() => this.progressValue(name), { timeout: 60_000 }).toBeGreaterThanOrEqual(atLeast)
  }

  async waitForCompleted() {
    await expect(this.status()).toHaveText('Completed', { timeout: 90_000 })
  }
}

interface Fixtures {
  boxOffice: BoxOfficePage
  /** The API as the admin account, for assertions on the server's state. */
  apiClient: APIRequestContext
  /** Asserts the server holds exactly `quantity` tickets of the batch: each serial once, every token verifying. */
  expectServerExact: (batchId: string, quantity: number) => Promise<void>
}

/** The real API in its own process on a fresh SQLite file, one per test file (worker-scoped). */
export const apiProcessFixture: [(args: object, use: (api: ApiProcess) => Promise<void>) => Promise<void>, { scope: 'worker' }] = [
  async ({}, use) => {
    const api = new ApiProcess()
    await api.start()
    await use(api)
    await api.dispose()
  },
  { scope: 'worker' },
]

export const test = base.extend<Fixtures, { api: ApiProcess }>({
  api: apiProcessFixture,
  baseURL: async ({ api }, use) => use(api.baseURL),
  boxOffice: async ({ page }, use) => use(new BoxOfficePage(page)),
  apiClient: async ({ api }, use) => {
    const client = await requestFactory.newContext({ baseURL: api.baseURL, extraHTTPHeaders: { [CSRF_HEADER]: CSRF_HEADER_VALUE } })
    const response = await client.post('/api/session', { data: { username: ADMIN_USER, password: ADMIN_PASSWORD } })
    expect(response.status(), await response.text()).toBe(200)
    await use(client)
    await client.dispose()
  },
  expectServerExact: async ({ api, apiClient }, use) =>
    use(async (batchId, quantity) => {
      const status = await (await apiClient.get(`/api/batches/${batchId}`)).json()
      expect(status).toMatchObject({ state: 'completed', quantity, ticketsReceived: quantity })
      expect(await inspectServerTickets(api.database, batchId, quantity)).toEqual(exactReport(quantity))
    }),
})

export { expect }
