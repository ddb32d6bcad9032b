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

  async open() {
    await this.page.getByRole('link', { name: 'Check-in' }).click()
    await expect(this.page.getByRole('heading', { name: 'Check-in', exact: true })).toBeVisible()
    await expect(this.tokenField).toBeFocused()
  }

  /** Types the token and presses Enter, as a handheld scanner does. */
  async checkIn(token: string) {
    await this.tokenField.fill(token)
    await this.tokenField.press('Enter')
  }

  /** Ticks exactly these completed batches and prepares them; waits until the page can open offline. */
  async prepareForOffline(batchIds: string[]) {
    for (const id of batchIds) await this.page.locator(`input[id="kit-${id}"]`).check()
    await this.page.getByRole('button', { name: 'Prepare for offline' }).click()
    await expect(this.page.getByTestId('kit-summary')).toHaveText(
      `Prepared for offline check-in: ${batchIds.length} ${batchIds.length === 1 ? 'batch' : 'batches'}.`,
    )
    await expect(this.page.getByText('This page opens on this device without network.')).toBeVisible()
  }
}

/** The token with one character of its signature changed: still base32, no longer signed. */
export function forge(token: string): string {
  const at = token.length - 20
  const swapped = token[at] === 'A' ? 'B' : 'A'
  return token.slice(0, at) + swapped + token.slice(at + 1)
}
