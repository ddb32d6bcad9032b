import { createHash } from 'node:crypto'
import type { BrowserContext } from '@playwright/test'
import Database from 'better-sqlite3'

/** Expires this browser context's session (and only it) in the server's database, as time would. Returns the rows changed. */
export async function expireSession(context: BrowserContext, dbPath: string): Promise<number> {
  const cookie = (await context.cookies()).find((c) => c.name === 'boxoffice_session')
  if (!cookie) throw new Error('the browser holds no session cookie')
  const db = new Database(dbPath)
  try {
    return db
      .prepare('UPDATE sessions SET expires_at = ? WHERE token_hash = ?')
      .run('2000-01-01T00:00:00.000Z', createHash('sha256').update(cookie.value).digest('hex')).changes
  } finally {
    db.close()
  }
}
