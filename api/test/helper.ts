// Builds the real app on a real database (a fresh SQLite file, or a fresh PostgreSQL database: see
// test-database.ts), signs in a real account, and signs real tickets.
import type { TestContext } from 'node:test'
import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import {
  chunkSerialRange,
  createBatchSigner,
  decodeBase32,
  encodeBase32,
  exportPublicKey,
  generateBatchKeyPair,
  signaturesOfTokens,
  type BatchStatus,
  type ChunkBody,
  type CreateBatchBody,
  type Price,
  CSRF_HEADER,
  CSRF_HEADER_VALUE,
} from '@boxoffice/tickets'
import { buildApp, type AppOptions } from '../src/app.ts'
import { addAccount } from '../src/auth/accounts.ts'
import type { ScryptParams } from '../src/auth/password-hash.ts'
import { SESSION_COOKIE } from '../src/auth/sessions.ts'
import type { AccountRole } from '../src/db/account-repository.ts'
import { openInspection, type DatabaseInspection } from '../src/db/database-inspection.ts'
import type { StorageConfig } from '../src/db/storage.ts'
import { tempDir } from './temp-dir.ts'
import { addTestTicketType, DEFAULT_TEST_TYPE, eventBodyOf, testTicketType, type TestTicketType } from './test-events.ts'
import { testDatabase } from './test-database.ts'

export { tempDir, testDatabase }

export type App = Awaited<ReturnType<typeof buildApp>>

/** Cheap enough for a sign-in per test; the real cost is in auth/password-hash.ts. */
export const TEST_SCRYPT: ScryptParams = { N: 1024, r: 8, p: 1 }
export const TEST_PASSWORD = 'correct horse battery'

/** The app on `database`, closed after the test (closing twice is harmless). */
export async function openApp(t: TestContext, database: StorageConfig, options: Partial<AppOptions> = {}): Promise<App> {
  const app = await buildApp({ database, logger: false, scrypt: TEST_SCRYPT, ...options })
  t.after(() => app.close())
  await addTestTicketType(app.events)
  return app
}

/** Injects requests into the app. */
export interface Client {
  inject(options: InjectOptions): Promise<LightMyRequestResponse>
}

/**
 * The API as the browser's code calls it: every request carries `X-Boxoffice-Request: 1` and,
 * given a session token, the session cookie. Headers given per request win.
 */
export function clientOf(app: App, sessionToken?: string): Client {
  const cookie = sessionToken === undefined ? {} : { cookie: `${SESSION_COOKIE}=${sessionToken}` }
  return {
    inject: (options) => app.inject({ ...options, headers: { [CSRF_HEADER]: CSRF_HEADER_VALUE, ...cookie, ...options.headers } }),
  }
}

export async function addTestAccount(app: App, username: string, role: AccountRole = 'staff', password = TEST_PASSWORD) {
  return addAccount(app.accounts, { username, password, role, scrypt: TEST_SCRYPT })
}

/** The session token in a response's Set-Cookie, if any. */
export function sessionTokenOf(response: LightMyRequestResponse): string | undefined {
  return response.cookies.find((cookie) => cookie.name === SESSION_COOKIE)?.value
}

/** Signs in through POST /api/session; fails loudly unless it succeeds. */
export async function signIn(app: App, username: string, password = TEST_PASSWORD) {
  const response = await clientOf(app).inject({ method: 'POST', url: '/api/session', payload: { username, password } })
  const token = sessionTokenOf(response)
  if (response.statusCode !== 200 || !token) throw new Error(`sign-in of ${username}: ${response.statusCode} ${response.body}`)
  return { api: clientOf(app, token), token }
}

/** A fresh app with one staff account, `staff`, signed in: `api` makes requests as that account. */
export async function buildTestApp(t: TestContext, options: Partial<AppOptions> = {}) {
  const database = await testDatabase(t)
  const app = await openApp(t, database, options)
  const account = await addTestAccount(app, 'staff')
  const { api, token } = await signIn(app, 'staff')
  return { app, api, token, account, database }
}

/** Reads the database past the app, on a connection of its own; closed after the test. */
export async function inspect(t: TestContext, database: StorageConfig): Promise<DatabaseInspection> {
  const inspection = await openInspection(database)
  t.after(() => inspection.close())
  return inspection
}

export interface TestBatch {
  id: string
  body: CreateBatchBody
  /** The ticket type the batch is made for; its name is what the tokens are signed with. */
  type: TestTicketType
  ticketType: string
  keys: CryptoKeyPair
  /** The token of `serial`, signed with the batch key (memoized). */
  token(serial: number): Promise<string>
  /** The complete, correct body of chunk `index`. */
  chunk(index: number): Promise<ChunkBody>
}

export interface TestBatchOptions extends Partial<CreateBatchBody> {
  /** The event's and the type's names and price (default: the default test type's); the type is made on first use. */
  event?: string
  ticketType?: string
  price?: Price
}

/** Types that batches were made for, by id: createBatch makes each in the app before the batch. */
const typesInUse = new Map<string, TestTicketType>()

export async function makeTestBatch({ event, ticketType, price, ...overrides }: TestBatchOptions = {}): Promise<TestBatch> {
  const keys = await generateBatchKeyPair()
  const type = testTicketType(event ?? DEFAULT_TEST_TYPE.eventName, ticketType ?? DEFAULT_TEST_TYPE.name, price ?? DEFAULT_TEST_TYPE.price)
  typesInUse.set(type.ticketTypeId, type)
  const body: CreateBatchBody = {
    id: crypto.randomUUID(),
    ticketTypeId: type.ticketTypeId,
    quantity: 120,
    publicKey: await exportPublicKey(keys.publicKey),
    ...overrides,
  }
  const sign = createBatchSigner(keys.privateKey, { batchId: body.id, ticketType: type.name })
  const tokens = new Map<number, Promise<string>>()
  const token = (serial: number) => {
    let signed = tokens.get(serial)
    if (!signed) tokens.set(serial, (signed = sign(serial)))
    return signed
  }
  return {
    id: body.id,
    body,
    type,
    ticketType: type.name,
    keys,
    token,
    async chunk(index) {
      const [first, last] = chunkSerialRange(index, body.quantity)
      const serials = Array.from({ length: last - first + 1 }, (_, offset) => first + offset)
      return { tickets: await Promise.all(serials.map(async (serial) => ({ serial, token: await token(serial) }))) }
    },
  }
}

/** Creates a test type's event and the type through the API, as the Events page does; a replay when they exist. */
export async function ensureTicketType(api: Client, type: TestTicketType) {
  const response = await api.inject({ method: 'POST', url: '/api/events', payload: eventBodyOf(type) })
  if (response.statusCode === 200 || response.statusCode === 201) return
  // The event exists with other types: add this one.
  const put = await api.inject({
    method: 'PUT',
    url: `/api/events/${type.eventId}/ticket-types/${type.ticketTypeId}`,
    payload: { name: type.name, price: type.price, capacity: type.capacity },
  })
  if (put.statusCode !== 200 && put.statusCode !== 201) throw new Error(`test ticket type ${type.name}: ${put.statusCode} ${put.body}`)
}

/** A chunk's signature body (64 bytes a ticket, application/vnd.boxoffice.signatures), from its tokens. */
export function signaturesOf(body: ChunkBody): Buffer {
  return Buffer.from(signaturesOfTokens(body.tickets.map(({ token }) => token))!)
}

/** A token for `serial` signed with the batch's own key, but naming another ticket type or batch. */
export function forgeWithBatchKey(batch: TestBatch, payload: { batchId?: string; ticketType?: string }) {
  return createBatchSigner(batch.keys.privateKey, {
    batchId: payload.batchId ?? batch.id,
    ticketType: payload.ticketType ?? batch.ticketType,
  })
}

/** POST /api/batches; first makes the ticket type of a makeTestBatch body, when the body names one. */
export async function createBatch(api: Client, body: unknown) {
  const type = typesInUse.get((body as { ticketTypeId?: unknown } | null)?.ticketTypeId as string)
  if (type) await ensureTicketType(api, type)
  return api.inject({ method: 'POST', url: '/api/batches', payload: body as object })
}

export async function putChunk(api: Client, batchId: string, index: number, body: unknown) {
  return api.inject({ method: 'PUT', url: `/api/batches/${batchId}/chunks/${index}`, payload: body as object })
}

export async function getStatus(api: Client, batchId: string): Promise<BatchStatus> {
  const response = await api.inject({ method: 'GET', url: `/api/batches/${batchId}` })
  if (response.statusCode !== 200) throw new Error(`status of ${batchId}: ${response.statusCode} ${response.body}`)
  return response.json()
}

/** Creates the batch and uploads the given chunks, failing loudly if any request is refused. */
export async function createWithChunks(api: Client, batch: TestBatch, indexes: readonly number[]) {
  const created = await createBatch(api, batch.body)
  if (created.statusCode !== 201) throw new Error(`create: ${created.statusCode} ${created.body}`)
  for (const index of indexes) {
    const response = await putChunk(api, batch.id, index, await batch.chunk(index))
    if (response.statusCode !== 200) throw new Error(`chunk ${index}: ${response.statusCode} ${response.body}`)
  }
}

/** What a rejected request must leave untouched. */
export async function storedProgress(api: Client, batchId: string) {
  const { state, chunksReceived, ticketsReceived, committedChunks } = await getStatus(api, batchId)
  return { state, chunksReceived, ticketsReceived, committedChunks }
}

export function errorOf(response: { json(): unknown }) {
  return (response.json() as { error: { code: string; message: string; details?: any } }).error
}

/** The token with one bit of its signature flipped. */
export function tamperToken(token: string): string {
  const bytes = decodeBase32(token)!
  bytes[bytes.length - 1]! ^= 1
  return encodeBase32(bytes)
}

export async function verifyToken(api: Client, token: string) {
  return (await api.inject({ method: 'POST', url: '/api/tokens/verify', payload: { token } })).json()
}

/** A batch of 120 tickets (chunks 0–2) with chunk 0 committed, and its progress at that point. */
export async function batchWithCommittedChunkZero(t: TestContext) {
  const { app, api, database } = await buildTestApp(t)
  const batch = await makeTestBatch({ quantity: 120 })
  await createWithChunks(api, batch, [0])
  return { app, api, database, batch, before: await storedProgress(api, batch.id) }
}

/** Everything ticket-related the database holds, read past the app: a refused request must leave it identical. */
export async function databaseSnapshot(database: StorageConfig) {
  const inspection = await openInspection(database)
  try {
    return await inspection.snapshot()
  } finally {
    await inspection.close()
  }
}
