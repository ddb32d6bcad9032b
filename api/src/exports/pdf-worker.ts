// A PDF worker thread: writes the PDFs the pool hands it, several at once, each one message at a
// time: every `tickets` or `end` message is answered by exactly one `bytes` (or `failed`) message,
// so the main thread decides how far ahead a document may get. Started through pdf-worker.mjs.
import { parentPort } from 'node:worker_threads'
import type { TicketLayout } from '@boxoffice/tickets'
import { PdfTicketWriter, type PrintedBatch } from './pdf-export.ts'

export type PdfWorkerRequest =
  | { type: 'start'; id: number; batch: PrintedBatch; layout: TicketLayout; title: string }
  /** Serials and tokens as two parallel arrays: half the cloning of one object per ticket. */
  | { type: 'tickets'; id: number; serials: number[]; tokens: string[] }
  | { type: 'end'; id: number }
  /** The client went away: drop the document, answer nothing. */
  | { type: 'cancel'; id: number }

export type PdfWorkerMessage =
  /** Listening: requests posted before this may not have reached this handler (the pool holds them). */
  | { type: 'ready' }
  /** The bytes written since the last answer (maybe none); `done` after `end`. */
  | { type: 'bytes'; id: number; bytes: Uint8Array; done: boolean }
  | { type: 'failed'; id: number; message: string }

if (!parentPort) throw new Error('pdf-worker.ts runs only as a worker thread')
const port = parentPort
const writers = new Map<number, PdfTicketWriter>()

function answer(message: Exclude<PdfWorkerMessage, { type: 'ready' }>) {
  port.postMessage(message, message.type === 'bytes' ? [message.bytes.buffer as ArrayBuffer] : [])
}

async function handle(request: PdfWorkerRequest): Promise<void> {
  if (request.type === 'start') {
    writers.set(request.id, new PdfTicketWriter(request.batch, request.layout, request.title))
    return
  }
  if (request.type === 'cancel') {
    writers.delete(request.id)
    return
  }
  const writer = writers.get(request.id)
  if (!writer) return answer({ type: 'failed', id: request.id, message: `no PDF ${request.id} is being written` })
  try {
    if (request.type === 'tickets') {
      const tickets = request.serials.map((serial, i) => ({ serial, token: request.tokens[i]! }))
      const bytes = await writer.add(tickets)
      if (writers.has(request.id)) answer({ type: 'bytes', id: request.id, bytes, done: false })
    } else {
      const bytes = await writer.finish()
      writers.delete(request.id)
      answer({ type: 'bytes', id: request.id, bytes, done: true })
    }
  } catch (error) {
    writers.delete(request.id)
    answer({ type: 'failed', id: request.id, message: error instanceof Error ? error.message : String(error) })
  }
}

port.on('message', (request: PdfWorkerRequest) => void handle(request))
port.postMessage({ type: 'ready' } satisfies PdfWorkerMessage)
