// A verification worker thread: checks whole chunks the pool sends, one message per chunk, with
// the same checkChunk the in-process verifier runs. Started through verify-worker.mjs.
import { parentPort, workerData } from 'node:worker_threads'
import type { BatchKey, TicketProblem } from './chunk-verifier.ts'
import { checkChunk } from './check-ticket.ts'
import { PublicKeyCache } from './public-key-cache.ts'
import { chooseSignatureCheck, type SignatureLibrary } from './signature-check.ts'

export interface VerifyWorkerData {
  keyCacheSize: number
  /** Chosen once by the pool, so that every worker checks with the same library. */
  library: SignatureLibrary
}

/** One chunk. Serials and tokens travel as two parallel arrays: half the cloning of one object per ticket. */
export interface VerifyRequest {
  id: number
  batch: BatchKey
  serials: number[]
  tokens: string[]
}

export type VerifyWorkerMessage =
  | { type: 'ready' }
  | { type: 'verified'; id: number; problems: TicketProblem[] }
  /** checkChunk threw (a key that does not import): the chunk fails as it would in process. */
  | { type: 'failed'; id: number; message: string }

if (!parentPort) throw new Error('verify-worker.ts runs only as a worker thread')
const port = parentPort
const { keyCacheSize, library } = workerData as VerifyWorkerData
const keys = new PublicKeyCache(chooseSignatureCheck(library), keyCacheSize)

port.on('message', ({ id, batch, serials, tokens }: VerifyRequest) => {
  let answer: VerifyWorkerMessage
  try {
    const tickets = serials.map((serial, i) => ({ serial, token: tokens[i]! }))
    answer = { type: 'verified', id, problems: checkChunk(keys, batch, tickets) }
  } catch (error) {
    answer = { type: 'failed', id, message: error instanceof Error ? error.message : String(error) }
  }
  port.postMessage(answer)
})
port.postMessage({ type: 'ready' } satisfies VerifyWorkerMessage)
