// BASELINE ONLY. A faithful reimplementation of the algorithm Boxoffice replaced, kept to measure
// against in the same run. It runs on the page's main thread, as the old version did:
//   - tokens signed on the main thread, sequentially within each 50-ticket chunk
//   - the last 10 tickets kept in memory for its preview (its write-up: "Only keeping last 10
//     tickets for preview"); an earlier version of this baseline kept every ticket
//   - one chunk at a time, with a 50 ms pause between chunks
//   - 3 retries with 1, 2 and 3 s delays, then it gives up
// It uses today's API and token format, so only the algorithm differs.
import { CHUNK_SIZE, chunkCount, exportPublicKey, generateBatchKeyPair, signToken, type Ticket } from '@boxoffice/tickets'

export interface BaselineOptions {
  quantity: number
  event: string
  ticketType: string
  headers: Record<string, string>
  onBatchId?: (batchId: string) => void
}

export interface BaselineResult {
  batchId: string
  /** Tickets signed and sent; only the last PREVIEW_TICKETS of them stay in memory. */
  ticketsMade: number
  ticketsKept: number
  retries: number
  failed?: string
}

const RETRY_DELAYS_MS = [1_000, 2_000, 3_000]
const PAUSE_BETWEEN_CHUNKS_MS = 50
const PREVIEW_TICKETS = 10

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export async function runOldAlgorithm(options: BaselineOptions): Promise<BaselineResult> {
  const { privateKey, publicKey } = await generateBatchKeyPair()
  const batchId = crypto.randomUUID()
  const headers = { 'content-type': 'application/json', ...options.headers }
  let retries = 0
  const send = async (method: string, path: string, body?: unknown) => {
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await fetch(`/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
        if (response.ok) return response
        if (attempt >= RETRY_DELAYS_MS.length) throw new Error(`${method} ${path}: ${response.status}`)
      } catch (error) {
        if (attempt >= RETRY_DELAYS_MS.length) throw error
      }
      retries++
      await sleep(RETRY_DELAYS_MS[attempt]!)
    }
  }
  await send('POST', '/batches', {
    id: batchId,
    event: options.event,
    ticketType: options.ticketType,
    price: { amountMinor: 2500, currency: 'EUR' },
    quantity: options.quantity,
    publicKey: await exportPublicKey(publicKey),
  })
  options.onBatchId?.(batchId)
  const preview: Ticket[] = []
  let ticketsMade = 0
  try {
    for (let index = 0; index < chunkCount(options.quantity); index++) {
      const chunk: Ticket[] = []
      for (let serial = index * CHUNK_SIZE; serial < Math.min((index + 1) * CHUNK_SIZE, options.quantity); serial++) {
        chunk.push({ serial, token: await signToken(privateKey, { batchId, serial, ticketType: options.ticketType }) })
      }
      ticketsMade += chunk.length
      preview.push(...chunk)
      preview.splice(0, Math.max(0, preview.length - PREVIEW_TICKETS))
      await send('PUT', `/batches/${batchId}/chunks/${index}`, { tickets: chunk })
      await sleep(PAUSE_BETWEEN_CHUNKS_MS)
    }
    await send('POST', `/batches/${batchId}/complete`)
  } catch (error) {
    return { batchId, ticketsMade, ticketsKept: preview.length, retries, failed: String(error) }
  }
  return { batchId, ticketsMade, ticketsKept: preview.length, retries }
}
