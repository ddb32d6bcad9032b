import { CSRF_HEADER, CSRF_HEADER_VALUE } from '@boxoffice/tickets'
import { test as base, expect, request as requestFactory, type APIRequestContext, type Page } from '@playwright/test'
import { ADMIN_PASSWORD, ADMIN_USER, ApiProcess } from '@boxoffice/testkit/api-process'
import { exactReport, inspectServerTickets } from '@boxoffice/testkit/server-tickets'
import { testEventBody, uuidFrom } from '@boxoffice/testkit/test-events'

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

  /**
   * Makes sure the event and ticket type exist (through the API, as the Events page would; ids
   * follow from the names, with room for any batch), picks them in the form and types the quantity.
   */
  async fillBatch(options: { event?: string; ticketType?: string; price?: string; capacity?: number; quantity: number }) {
    const { eventId, ticketTypeId } = await this.ensureTicketType(options)
    const eventSelect = this.page.getByLabel('Event')
    // The form reads the events when it opens: one made just now needs it opened again.
    if ((await eventSelect.locator(`option[value="${eventId}"]`).count()) === 0) {
      await this.page.reload()
      await expect(this.page.getByRole('button', { name: 'Generate tickets' })).toBeVisible()
      await expect(eventSelect.locator(`option[value="${eventId}"]`)).toHaveCount(1)
    }
    await eventSelect.selectOption(eventId)
    await this.page.getByLabel('Ticket type').selectOption(ticketTypeId)
    await this.page.getByLabel('Quantity').fill(String(options.quantity))
  }

  /** The event and type named so (default "Summer Gala", "General admission" at 25.00 EUR), created if missing. */
  async ensureTicketType(options: { event?: string; ticketType?: string; price?: string; capacity?: number }) {
    const event = options.event ?? 'Summer Gala'
    const ticketType = options.ticketType ?? 'General admission'
    const [whole, fraction = ''] = (options.price ?? '25.00').split('.')
    const price = { amountMinor: Number(whole) * 100 + Number(fraction.padEnd(2, '0')), currency: 'EUR' }
    const eventId = uuidFrom(`event ${event}`)
    const ticketTypeId = uuidFrom(`type ${event} / ${ticketType} / ${price.amountMinor}`)
    const type = { name: ticketType, price, capacity: options.capacity ?? 100_000_000 }
    const headers = { [CSRF_HEADER]: CSRF_HEADER_VALUE }
    const created = await this.page.request.post('/api/events', { headers, data: testEventBody(event) })
    expect([200, 201, 409], await created.text()).toContain(created.status())
    const put = await this.page.request.put(`/api/events/${eventId}/ticket-types/${ticketTypeId}`, { headers, data: type })
    expect([200, 201], await put.text()).toContain(put.status())
    return { eventId, ticketTypeId }
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
    await expect(this.status()).toHaveAttribute('data-phase', 'completed', { timeout: 90_000 })
    await expect(this.status()).toHaveText(/^Completed( in [\d:]+)?: all [\d,]+ tickets are on the server/)
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
