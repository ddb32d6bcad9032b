// Who is signed in: the session state the app shell shows, the API's session calls, and the account
// last signed in on this browser.
import type { SessionInfo } from '@boxoffice/tickets'
import { ApiError, sessionEnded } from '../shared/core/request-failure.ts'
import { forgetDeviceKey } from './device-link.ts'
import { apiRequest } from '../shared/io/request.ts'

/** The API's session calls. */
export interface SessionCalls {
  /** The signed-in account, or null when nobody is signed in. */
  current(): Promise<SessionInfo | null>
  signIn(username: string, password: string): Promise<SessionInfo>
  signOut(): Promise<void>
  /** Ends every session of the account and starts a new one (a new cookie). */
  changePassword(currentPassword: string, newPassword: string): Promise<SessionInfo>
}

export const sessionCalls: SessionCalls = {
  async current() {
    try {
      return await apiRequest<SessionInfo>('GET', '/session')
    } catch (error) {
      // A device key the server does not know (a database reset): back to signing in with a password.
      if (error instanceof ApiError && error.code === 'DEVICE_UNKNOWN') forgetDeviceKey()
      if (sessionEnded(error)) return null
      throw error
    }
  },
  signIn: (username, password) => apiRequest<SessionInfo>('POST', '/session', { username, password }),
  async signOut() {
    await apiRequest('DELETE', '/session')
  },
  changePassword: (currentPassword, newPassword) => apiRequest<SessionInfo>('PUT', '/session/password', { currentPassword, newPassword }),
}

/** Who is signed in. The features report an ended session (a 401) through `ended()`. */
export class SessionState {
  /** undefined while checking; null when nobody is signed in. */
  current = $state<SessionInfo | null | undefined>(undefined)

  constructor(private readonly calls: SessionCalls) {}

  async check(): Promise<SessionInfo | null> {
    this.current = await this.calls.current()
    return this.current
  }

  async signIn(username: string, password: string): Promise<void> {
    this.current = await this.calls.signIn(username, password)
  }

  async signOut(): Promise<void> {
    await this.calls.signOut().catch(() => undefined)
    this.current = null
  }

  async changePassword(currentPassword: string, newPassword: string): Promise<void> {
    this.current = await this.calls.changePassword(currentPassword, newPassword)
  }

  /** A registered gate device rather than a person (shared/io/device-key.ts). */
  get isDevice(): boolean {
    return this.current?.device !== undefined
  }

  ended(): void {
    this.current = null
  }
}

// Who was last signed in on this browser. Used for one thing only: a reload without network cannot
// ask the server, and the Check-in page still opens for that account (it checks tickets against
// the offline kit and syncs once the server answers; the server checks the session then).
// Signing out forgets it, so a device that was signed out does not check tickets in offline.

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
    return stored && typeof stored.username === 'string' && (stored.role === 'admin' || stored.role === 'staff' || stored.role === 'gate')
      ? { username: stored.username, role: stored.role, mustChangePassword: false }
      : null
  } catch {
    return null
  }
}
