// What the load test's worker threads do, off the thread that drives the HTTP load:
//   - sign: make one office's key pair and sign its whole batch, chunk bodies encoded as sent;
//   - inspect: read a batch's tickets from the database and check every token's signature.
import { parentPort } from 'node:worker_threads'
import { gzipSync } from 'node:zlib'
import { prepareSignedBatch } from '@boxoffice/testkit/signed-batch'
import { inspectServerTickets } from '@boxoffice/testkit/server-tickets'
import { packBatch } from './prepared-batch.ts'
import type { TaskRequest, TaskResponse } from './worker-pool.ts'

const encoder = new TextEncoder()

async function handle(request: TaskRequest): Promise<{ response: TaskResponse; transfer: ArrayBuffer[] }> {
  if (request.task === 'sign') {
    const { eventBody, body, chunks, signatures } = await prepareSignedBatch(request.quantity, request.event)
    let plainBytes = 0
    const encoded = chunks.map((json, index) => {
      const plain = encoder.encode(json)
      plainBytes += plain.length
      if (request.encoding === 'signatures') return signatures[index]!
      return request.encoding === 'gzip' ? gzipSync(plain) : plain
    })
    const batch = packBatch(eventBody, body, request.encoding, encoded, plainBytes)
    return { response: { task: 'sign', batch }, transfer: [batch.bytes.buffer as ArrayBuffer, batch.offsets.buffer as ArrayBuffer] }
  }
  return {
    response: { task: 'inspect', report: await inspectServerTickets(request.database, request.batchId, request.quantity) },
    transfer: [],
  }
}

parentPort!.on('message', (request: TaskRequest) => {
  handle(request).then(
    ({ response, transfer }) => parentPort!.postMessage({ ok: true, response }, transfer),
    (error: unknown) =>
      parentPort!.postMessage({ ok: false, message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  )
})
