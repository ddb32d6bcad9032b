// Who was last signed in on this browser. Used for one thing only: a reload without network cannot
// ask the server, and the Check-in page still opens for that account (it checks tickets against
// the offline kit and syncs once the server answers; the server checks the session then).
// Signing out forgets it, so a device that was signed out does not check tickets in offline.
import type { SessionInfo } from '@boxoffice/tickets'

const KEY = 'boxoffice-last-session'

export function rememberSession(session: SessionInfo | null): void {
  try {
    if (session) localStorage.setItem(KEY, JSON.stringify({ username: session.username, role: session.role }))
    else localStorage.removeItem(KEY)
  } catch {
    // Storage refused (private mode, quota): the page then only works online, as before.
  }
}

export function rememberedSession(): SessionInfo | null {
  try {
    const stored = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Partial<SessionInfo> | null
    return stored && typeof stored.username === 'string' && (stored.role === 'admin' || stored.role === 'staff') ? { username: stored.username, role: stored.role } : null
  } catch {
    return null
  }
}
