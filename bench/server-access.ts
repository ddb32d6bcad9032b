import type { Page } from '@playwright/test'
import type { ApiProcess } from '../e2e/support/api-process.ts'

/** How the bench reaches the API: the headers its own requests carry, and how a page signs in. */
export interface ServerAccess {
  headers: Record<string, string>
  signInPage(page: Page): Promise<void>
}

export const openAccess: ServerAccess = {
  headers: {},
  async signInPage(page) {
    await page.goto('/')
    await page.getByRole('heading', { name: 'Boxoffice' }).waitFor()
  },
}

export async function serverBatchState(api: ApiProcess, access: ServerAccess, batchId: string): Promise<string | undefined> {
  const response = await fetch(`${api.baseURL}/api/batches/${batchId}`, { headers: access.headers })
  if (response.status === 404) return undefined
  if (!response.ok) throw new Error(`batch status: ${response.status} ${await response.text()}`)
  return ((await response.json()) as { state: string }).state
}
