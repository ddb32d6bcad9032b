// Ingest throughput over real HTTP: `npx tsx bench/ingest.ts [tickets]` (default 20,000).
// Starts the real app on a temp SQLite file, signs every chunk up front so only the upload is
// timed, then PUTs the chunks of one batch sequentially and of another with 4 requests in flight.
// The server verifies every token's signature on the way in.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  chunkCount,
  chunkSerialRange,
  createBatchSigner,
  exportPublicKey,
  generateBatchKeyPair,
  type BatchStatus,
  type ChunkBody,
  type CreateBatchBody,
} from '../packages/tickets/src/index.ts'
import { buildApp } from '../api/src/app.ts'

const quantity = Number(process.argv[2] ?? 20_000)
if (!Number.isInteger(quantity) || quantity < 1 || quantity > 1_000_000) {
  console.error(`usage: npx tsx bench/ingest.ts [tickets 1…1000000]; got ${process.argv[2]}`)
  process.exit(2)
}

interface PreparedBatch {
  body: CreateBatchBody
  chunks: string[]
}

async function prepareBatch(): Promise<PreparedBatch> {
  const keys = await generateBatchKeyPair()
  const body: CreateBatchBody = {
    id: crypto.randomUUID(),
    event: 'Ingest benchmark',
    ticketType: 'General admission',
    price: { amountMinor: 2500, currency: 'EUR' },
    quantity,
    publicKey: await exportPublicKey(keys.publicKey),
  }
  const sign = createBatchSigner(keys.privateKey, { batchId: body.id, ticketType: body.ticketType })
  const chunks: string[] = []
  for (let index = 0; index < chunkCount(quantity); index++) {
    const [first, last] = chunkSerialRange(index, quantity)
    const tickets: ChunkBody['tickets'] = []
    for (let serial = first; serial <= last; serial++) tickets.push({ serial, token: await sign(serial) })
    chunks.push(JSON.stringify({ tickets }))
  }
  return { body, chunks }
}

async function request(base: string, method: string, path: string, body?: string) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body,
  })
  const json = await response.json()
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`)
  return json
}

/** Uploads every chunk with at most `inFlight` requests outstanding; returns tickets per second. */
async function ingest(base: string, batch: PreparedBatch, inFlight: number): Promise<number> {
  await request(base, 'POST', '/api/batches', JSON.stringify(batch.body))
  let next = 0
  const started = performance.now()
  const lane = async () => {
    while (next < batch.chunks.length) {
      const index = next++
      await request(base, 'PUT', `/api/batches/${batch.body.id}/chunks/${index}`, batch.chunks[index])
    }
  }
  await Promise.all(Array.from({ length: inFlight }, lane))
  const seconds = (performance.now() - started) / 1000

  const status = (await request(base, 'POST', `/api/batches/${batch.body.id}/complete`)) as BatchStatus
  if (status.state !== 'completed' || status.ticketsReceived !== quantity) {
    throw new Error(`batch ended ${status.state} with ${status.ticketsReceived} of ${quantity} tickets`)
  }
  return quantity / seconds
}

const dir = mkdtempSync(join(tmpdir(), 'boxoffice-bench-'))
const app = await buildApp({ dbPath: join(dir, 'bench.db'), logger: false })
try {
  const base = await app.listen({ host: '127.0.0.1', port: 0 })
  const signingStarted = performance.now()
  const sequential = await prepareBatch()
  const parallel = await prepareBatch()
  const signingSeconds = (performance.now() - signingStarted) / 1000
  console.log(`${quantity.toLocaleString('en-US')} tickets a batch, ${chunkCount(quantity)} chunks; signed 2 batches in ${signingSeconds.toFixed(1)} s (not timed below)`)

  const rates: [string, number][] = [
    ['sequential (1 in flight)', await ingest(base, sequential, 1)],
    ['4 in flight', await ingest(base, parallel, 4)],
  ]
  for (const [mode, rate] of rates) {
    console.log(`${mode.padEnd(26)} ${Math.round(rate).toLocaleString('en-US').padStart(8)} tickets/s`)
  }
} finally {
  await app.close()
  rmSync(dir, { recursive: true, force: true })
}
