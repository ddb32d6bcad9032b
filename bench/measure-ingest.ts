import { chunkCount, chunkSerialRange, createBatchSigner, exportPublicKey, generateBatchKeyPair, type CreateBatchBody, type Ticket } from '@boxoffice/tickets'

export interface PreparedBatch {
  body: CreateBatchBody
  /** JSON chunk bodies, signed before any timing starts. */
  chunks: string[]
}

export async function prepareSignedBatch(quantity: number, event = 'Ingest benchmark'): Promise<PreparedBatch> {
  const keys = await generateBatchKeyPair()
  const body: CreateBatchBody = {
    id: crypto.randomUUID(),
    event,
    ticketType: 'General admission',
    price: { amountMinor: 2500, currency: 'EUR' },
    quantity,
    publicKey: await exportPublicKey(keys.publicKey),
  }
  const sign = createBatchSigner(keys.privateKey, { batchId: body.id, ticketType: body.ticketType })
  const chunks: string[] = []
  for (let index = 0; index < chunkCount(quantity); index++) {
    const [first, last] = chunkSerialRange(index, quantity)
    const tickets: Ticket[] = []
    for (let serial = first; serial <= last; serial++) tickets.push({ serial, token: await sign(serial) })
    chunks.push(JSON.stringify({ tickets }))
  }
  return { body, chunks }
}

/** PUTs every chunk with `inFlight` requests at once and completes the batch; returns tickets/s. */
export async function uploadPrepared(baseURL: string, headers: Record<string, string>, batch: PreparedBatch, inFlight: number): Promise<number> {
  const send = async (method: string, path: string, body?: string) => {
    const response = await fetch(`${baseURL}/api${path}`, { method, headers: { ...headers, 'content-type': 'application/json' }, body })
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`)
    await response.arrayBuffer()
  }
  await send('POST', '/batches', JSON.stringify(batch.body))
  const started = performance.now()
  let next = 0
  const lane = async () => {
    while (next < batch.chunks.length) {
      const index = next++
      await send('PUT', `/batches/${batch.body.id}/chunks/${index}`, batch.chunks[index])
    }
  }
  await Promise.all(Array.from({ length: inFlight }, lane))
  await send('POST', `/batches/${batch.body.id}/complete`, '{}')
  return batch.body.quantity / ((performance.now() - started) / 1000)
}
