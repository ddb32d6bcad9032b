import { CSRF_HEADER, CSRF_HEADER_VALUE } from '@boxoffice/tickets'
import { ADMIN_PASSWORD, ADMIN_USER, type ApiProcess } from '@boxoffice/testkit/api-process'
import { fetch, type Dispatcher } from 'undici'
import type { BrowserSession } from './browser-session.ts'

/** How the bench reaches the API: the headers its own requests carry, and how a page signs in. */
export interface ServerAccess {
  /** For requests from Node: the session cookie and the CSRF header. */
  headers: Record<string, string>
  /** For requests from the page, which has its own cookie: the CSRF header only. */
  pageHeaders: Record<string, string>
  signInPage(session: BrowserSession): Promise<void>
}

const CSRF = { [CSRF_HEADER]: CSRF_HEADER_VALUE }

/**
 * Signs in as the server's admin, from Node and (on demand) in a page. Through the address the
 * requests will use: behind nginx (HTTPS, with `dispatcher` taking its self-signed certificate)
 * the instances name the session cookie `__Host-…`, which a sign-in over plain HTTP does not get.
 */
export async function setUpAccess(server: { baseURL: string }, dispatcher?: Dispatcher): Promise<ServerAccess> {
  const response = await fetch(`${server.baseURL}/api/session`, {
    method: 'POST',
    headers: { ...CSRF, 'content-type': 'application/json' },
    body: JSON.stringify({ username: ADMIN_USER, password: ADMIN_PASSWORD }),
    dispatcher,
  })
  if (!response.ok) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`)
  const cookie = response.headers
    .getSetCookie()
    .map((header) => header.split(';')[0])
    .join('; ')
  return {
    headers: { ...CSRF, cookie },
    pageHeaders: CSRF,
    async signInPage(session) {
      await session.goto('/')
      await session.fill('Username', ADMIN_USER)
      await session.fill('Password', ADMIN_PASSWORD)
      await session.click('Sign in')
      await session.waitFor(
        () => [...document.querySelectorAll('button')].some((b) => b.textContent?.trim() === 'Generate tickets') || null,
      )
    },
  }
}

export async function serverBatchState(api: ApiProcess, access: ServerAccess, batchId: string): Promise<string | undefined> {
  const response = await fetch(`${api.baseURL}/api/batches/${batchId}`, { headers: access.headers })
  if (response.status === 404) return undefined
  if (!response.ok) throw new Error(`batch status: ${response.status} ${await response.text()}`)
  return ((await response.json()) as { state: string }).state
}
