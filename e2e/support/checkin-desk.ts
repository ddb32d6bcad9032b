import { uuidFrom } from '@boxoffice/testkit/test-events'
import { expect, type Page } from '@playwright/test'

/** Drives the Check-in page the way gate staff do. */
export class CheckinDesk {
  constructor(readonly page: Page) {}

  get tokenField() {
    return this.page.getByLabel('Token')
  }

  /** The live region with the verdict; its text starts with Valid, Already checked in or Invalid. */
  result() {
    return this.page.getByRole('status')
  }

  pending() {
    return this.page.locator('[data-pending]')
  }

  syncCounts() {
    return this.page.getByTestId('sync-counts')
  }

  conflicts() {
    return this.page.getByRole('table', { name: 'Conflicts' })
  }

  connection() {
    return this.page.locator('[data-online]')
  }

  /** Opens the Check-in page and chooses the event this gate admits. */
  async open(event = 'Spring Gala') {
    await this.page.getByRole('link', { name: 'Check-in' }).click()
    await expect(this.page.getByRole('heading', { name: 'Check-in', exact: true })).toBeVisible()
    await expect(this.tokenField).toBeFocused()
    await this.admit(event)
    await this.tokenField.focus()
  }

  /** Chooses the event this gate admits (an event made by BoxOfficePage.ensureTicketType). */
  async admit(event: string) {
    const select = this.page.getByLabel('Event this gate admits')
    const eventId = uuidFrom(`event ${event}`)
    await expect(select.locator(`option[value="${eventId}"]`)).toHaveCount(1)
    await select.selectOption(eventId)
    await expect(this.page.getByTestId('admitting')).toContainText(`Admitting: ${event}`)
  }

  /** Types the token and presses Enter, as a handheld scanner does. */
  async checkIn(token: string) {
    await this.tokenField.fill(token)
    await this.tokenField.press('Enter')
  }

  /** Prepares the admitted event's kit; waits until it holds these batches and the page can open offline. */
  async prepareForOffline(batchIds: string[]) {
    await this.page.getByRole('button', { name: 'Prepare for offline' }).click()
    await expect(this.page.getByTestId('kit-summary')).toContainText('Prepared for offline check-in:')
    for (const id of batchIds) await expect(this.page.locator(`li[data-batch-id="${id}"]`)).toHaveCount(1)
    await expect(this.page.getByText('This page opens on this device without network.')).toBeVisible()
  }
}

/** The token with one character of its signature changed: still base32, no longer signed. */
export function forge(token: string): string {
  const at = token.length - 20
  const swapped = token[at] === 'A' ? 'B' : 'A'
  return token.slice(0, at) + swapped + token.slice(at + 1)
}
