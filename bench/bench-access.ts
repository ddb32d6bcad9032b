import type { ApiProcess } from '../e2e/support/api-process.ts'
import { openAccess, type ServerAccess } from './server-access.ts'

/** Prepares access to a fresh API process. */
export async function setUpAccess(_api: ApiProcess): Promise<ServerAccess> {
  return openAccess
}
