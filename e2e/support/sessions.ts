import { createHash } from 'node:crypto'
import type { BrowserContext } from '@playwright/test'
import { expireSessions } from '@boxoffice/testkit/server-tickets'
import type { ApiProcess } from '@boxoffice/testkit/api-process'

/** Expires this browser context's session (and only it) in the server's database, as time would. Returns the rows changed. */
export async function expireSession(context: BrowserContext, api: ApiProcess): Promise<number> {
  const cookie = (await context.cookies()).find((c) => c.name === 'boxoffice_session')
  if (!cookie) throw new Error('the browser holds no session cookie')
  return expireSessions(api.database, createHash('sha256').update(cookie.value).digest('hex'))
}
