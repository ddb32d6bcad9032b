// Builds the real app on a real SQLite file in a fresh temp folder, and signs real tickets.
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import {
  chunkSerialRange,
  createBatchSigner,
  decodeBase32,
  encodeBase32,
  exportPublicKey,
  generateBatchKeyPair,
  type BatchStatus,
  type ChunkBody,
  type CreateBatchBody,
} from '@boxoffice/tickets'
import { buildApp, type AppOptions } from '../src/app.ts'
import { tempDir } from './temp-dir.ts'

export { tempDir }

export type App = Awaited<ReturnType<typeof buildApp>>

/** The app on `dbPath`, closed after the test (closing twice is harmless). */
export async function openApp(t: TestContext, dbPath: string, options: Partial<AppOptions> = {}): Promise<App> {
  const app = await buildApp({ dbPath, logger: false, ...options })
  t.after(() => app.close())
  return app
}

export async function buildTestApp(t: TestContext, options: Partial<AppOptions> = {}) {
  const dbPath = join(tempDir(t), 'boxoffice.db')
  const app = await openApp(t, dbPath, options)
  return { app, dbPath }
}

export interface TestBatch {
  id: string
  body: CreateBatchBody
  keys: CryptoKeyPair
  /** The token of `serial`, signed with the batch key (memoized). */
  token(serial: number): Promise<string>
  /** The complete, correct body of chunk `index`. */
  chunk(index: number): Promise<ChunkBody>
}

export async function makeTestBatch(overrides: Partial<CreateBatchBody> = {}): Promise<TestBatch> {
  const keys = await generateBatchKeyPair()
  const body: CreateBatchBody = {
    id: crypto.randomUUID(),
    event: 'Spring Gala 2026',
    ticketType: 'General admission',
    price: { amountMinor: 4500, currency: 'EUR' },
    quantity: 120,
    publicKey: await exportPublicKey(keys.publicKey),
    ...overrides,
  }
  const sign = createBatchSigner(keys.privateKey, { batchId: body.id, ticketType: body.ticketType })
  const tokens = new Map<number, Promise<string>>()
  const token = (serial: number) => {
    let signed = tokens.get(serial)
    if (!signed) tokens.set(serial, (signed = sign(serial)))
    return signed
  }
  return {
    id: body.id,
    body,
    keys,
    token,
    async chunk(index) {
      const [first, last] = chunkSerialRange(index, body.quantity)
      const serials = Array.from({ length: last - first + 1 }, (_, offset) => first + offset)
      return { tickets: await Promise.all(serials.map(async (serial) => ({ serial, token: await token(serial) }))) }
    },
  }
}

/** A token for `serial` signed with the batch's own key, but naming another ticket type or batch. */
export function forgeWithBatchKey(batch: TestBatch, payload: { batchId?: string; ticketType?: string }) {
  return createBatchSigner(batch.keys.privateKey, {
    batchId: payload.batchId ?? batch.id,
    ticketType: payload.ticketType ?? batch.body.ticketType,
  })
}

export async function createBatch(app: App, body: unknown) {
  return app.inject({ method: 'POST', url: '/api/batches', payload: body as object })
}

export async function putChunk(app: App, batchId: string, index: number, body: unknown) {
  return app.inject({ method: 'PUT', url: `/api/batches/${batchId}/chunks/${index}`, payload: body as object })
}

export async function getStatus(app: App, batchId: string): Promise<BatchStatus> {
  const response = await app.inject({ method: 'GET', url: `/api/batches/${batchId}` })
  if (response.statusCode !== 200) throw new Error(`status of ${batchId}: ${response.statusCode} ${response.body}`)
  return response.json()
}

/** Creates the batch and uploads the given chunks, failing loudly if any request is refused. */
export async function createWithChunks(app: App, batch: TestBatch, indexes: readonly number[]) {
  const created = await createBatch(app, batch.body)
  if (created.statusCode !== 201) throw new Error(`create: ${created.statusCode} ${created.body}`)
  for (const index of indexes) {
    const response = await putChunk(app, batch.id, index, await batch.chunk(index))
    if (response.statusCode !== 200) throw new Error(`chunk ${index}: ${response.statusCode} ${response.body}`)
  }
}

/** What a rejected request must leave untouched. */
export async function storedProgress(app: App, batchId: string) {
  const { state, chunksReceived, ticketsReceived, committedChunks } = await getStatus(app, batchId)
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

export async function verifyToken(app: App, token: string) {
  return (await app.inject({ method: 'POST', url: '/api/tokens/verify', payload: { token } })).json()
}

/** A batch of 120 tickets (chunks 0–2) with chunk 0 committed, and its progress at that point. */
export async function batchWithCommittedChunkZero(t: TestContext) {
  const { app } = await buildTestApp(t)
  const batch = await makeTestBatch({ quantity: 120 })
  await createWithChunks(app, batch, [0])
  return { app, batch, before: await storedProgress(app, batch.id) }
}
