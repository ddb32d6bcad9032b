import type { ErrorBody, SessionInfo } from '@boxoffice/tickets'

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

/** Same-origin API calls from the page, with the header the API's CSRF check asks for. */
export async function apiRequest<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const response = await fetch(`/api${path}`, {
    method,
    signal,
    credentials: 'same-origin',
    headers: body === undefined ? { 'x-boxoffice-request': '1' } : { 'x-boxoffice-request': '1', 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await response.text()
  const parsed = text ? (JSON.parse(text) as unknown) : undefined
  if (!response.ok) {
    const error = (parsed as Partial<ErrorBody> | undefined)?.error
    throw new ApiError(response.status, error?.code ?? `HTTP_${response.status}`, error?.message ?? `server answered ${response.status}`)
  }
  return parsed as T
}

/** The signed-in account, or null when nobody is signed in. */
export async function currentSession(): Promise<SessionInfo | null> {
  try {
    return await apiRequest<SessionInfo>('GET', '/session')
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null
    throw error
  }
}

export function signIn(username: string, password: string): Promise<SessionInfo> {
  return apiRequest<SessionInfo>('POST', '/session', { username, password })
}

export async function signOut(): Promise<void> {
  await apiRequest('DELETE', '/session')
}
