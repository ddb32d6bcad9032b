// PDFs are drawn by pdfkit, synchronous CPU work of about half a millisecond a page: on the main
// thread four looping exports held the event loop for seconds and stalled every check-in. This
// pool draws them in worker threads. The main thread only reads ticket rows and passes bytes on,
// one message per few sheets, and asks for the next sheets only when the client has taken the
// last ones, so a slow download holds at most one message and the stream's buffer in memory.
import { Readable } from 'node:stream'
import { Worker } from 'node:worker_threads'
import createError from '@fastify/error'
import type { TicketLayout } from '@boxoffice/tickets'
import type { StoredTicket } from '../db/ticket-repository.ts'
import type { PrintedBatch } from './pdf-export.ts'
import type { PdfWorkerMessage, PdfWorkerRequest } from './pdf-worker.ts'

/** A PDF worker died while writing the file, or the server is closing. Worth retrying. */
export const ExportUnavailable = createError('EXPORT_UNAVAILABLE', '%s', 503)

/** Tickets per message to a worker: whole sheets of either layout (1 or 8 a page). */
const TICKETS_PER_MESSAGE = 40
/** Bytes of finished PDF kept ready for the client before drawing waits for it. */
const OUTPUT_BUFFER_BYTES = 256 * 1024
const DEFAULT_WORKER_URL = new URL('./pdf-worker.mjs', import.meta.url)

export interface PdfRenderPoolOptions {
  /** Worker threads, started on the first export. */
  threads: number
  /** The worker entry point; tests substitute one that crashes on demand. */
  workerUrl?: URL
}

interface RenderJob {
  onBytes(bytes: Uint8Array, done: boolean): void
  onFailure(error: Error): void
}

interface PoolWorker {
  worker: Worker
  jobs: Map<number, RenderJob>
  /** Requests made before the worker said it listens; sent when it does. */
  backlog: PdfWorkerRequest[] | undefined
  error?: Error
}

function send(entry: PoolWorker, request: PdfWorkerRequest) {
  if (entry.backlog) entry.backlog.push(request)
  else entry.worker.postMessage(request)
}

export class PdfRenderPool {
  readonly threads: number
  readonly #workerUrl: URL
  readonly #workers = new Set<PoolWorker>()
  #nextId = 0
  #closed = false

  constructor(options: PdfRenderPoolOptions) {
    if (!Number.isInteger(options.threads) || options.threads < 1)
      throw new RangeError(`threads must be a positive integer; got ${options.threads}`)
    this.threads = options.threads
    this.#workerUrl = options.workerUrl ?? DEFAULT_WORKER_URL
  }

  /** Workers running now (they start with the first export, and again after one dies). */
  get runningWorkers(): number {
    return this.#workers.size
  }

  /**
   * The PDF of `tickets` as a stream. It fails with EXPORT_UNAVAILABLE if its worker dies (before
   * the first byte the client gets that as a 503; later the download ends cut short), and
   * destroying it (the client went away) stops the worker's document and the ticket reads.
   */
  render(batch: PrintedBatch, tickets: AsyncIterable<StoredTicket[]>, layout: TicketLayout, title: string): Readable {
    const rows = tickets[Symbol.asyncIterator]()
    const pending: StoredTicket[] = []
    let rowsEnded = false
    let awaitingAnswer = false
    let wanted = false
    let entry: PoolWorker | undefined
    const id = this.#nextId++

    const post = (request: PdfWorkerRequest) => send(entry!, request)
    const finishJob = () => {
      if (!entry) return
      entry.jobs.delete(id)
      if (entry.jobs.size === 0) entry.worker.unref()
    }

    /** Up to one message's worth of tickets, or undefined once every row has been read. */
    const nextTickets = async (): Promise<StoredTicket[] | undefined> => {
      while (pending.length < TICKETS_PER_MESSAGE && !rowsEnded) {
        const page = await rows.next()
        if (page.done) rowsEnded = true
        else pending.push(...page.value)
      }
      return pending.length > 0 ? pending.splice(0, TICKETS_PER_MESSAGE) : undefined
    }

    const sendNext = async () => {
      try {
        const slice = await nextTickets()
        if (stream.destroyed) return
        if (slice === undefined) post({ type: 'end', id })
        else post({ type: 'tickets', id, serials: slice.map((ticket) => ticket.serial), tokens: slice.map((ticket) => ticket.token) })
      } catch (error) {
        // A storage fault while reading rows: the export fails as a read would.
        stream.destroy(error as Error)
      }
    }

    const pump = () => {
      if (awaitingAnswer || !wanted || stream.destroyed) return
      awaitingAnswer = true
      void sendNext()
    }

    const stream = new Readable({
      highWaterMark: OUTPUT_BUFFER_BYTES,
      read: () => {
        if (!entry) {
          try {
            entry = this.#pickWorker()
          } catch (error) {
            stream.destroy(error as Error)
            return
          }
          if (entry.jobs.size === 0) entry.worker.ref()
          entry.jobs.set(id, {
            onBytes: (bytes, done) => {
              awaitingAnswer = false
              if (done) {
                finishJob()
                if (bytes.length > 0) stream.push(bytes)
                stream.push(null)
                return
              }
              // Nothing written yet (a partial sheet waits for more tickets): ask again at once.
              if (bytes.length > 0) wanted = stream.push(bytes)
              pump()
            },
            onFailure: (error) => {
              finishJob()
              stream.destroy(error)
            },
          })
          post({ type: 'start', id, batch, layout, title })
        }
        wanted = true
        pump()
      },
      destroy: (error, callback) => {
        if (entry?.jobs.has(id)) {
          finishJob()
          post({ type: 'cancel', id })
        }
        // Lets the repository close its statement (a reader that stopped early).
        void rows.return?.().catch(() => {})
        callback(error)
      },
    })
    return stream
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await Promise.all(
      [...this.#workers].map(async (entry) => {
        this.#failJobs(entry, new ExportUnavailable('the server is closing; download the file again'))
        await entry.worker.terminate()
      }),
    )
    this.#workers.clear()
  }

  /** The worker with the fewest documents, starting one while fewer than `threads` run. */
  #pickWorker(): PoolWorker {
    if (this.#closed) throw new ExportUnavailable('the server is closing; download the file again')
    let idlest: PoolWorker | undefined
    for (const entry of this.#workers) if (!idlest || entry.jobs.size < idlest.jobs.size) idlest = entry
    if (idlest && (idlest.jobs.size === 0 || this.#workers.size >= this.threads)) return idlest
    return this.#spawn()
  }

  #spawn(): PoolWorker {
    // execArgv: [] — the worker registers tsx itself (see pdf-worker.mjs).
    const worker = new Worker(this.#workerUrl, { execArgv: [] })
    worker.unref() // an idle worker must not keep the process alive; jobs ref it
    const entry: PoolWorker = { worker, jobs: new Map(), backlog: [] }
    this.#workers.add(entry)
    worker.on('message', (message: PdfWorkerMessage) => {
      if (message.type === 'ready') {
        for (const request of entry.backlog!.splice(0)) worker.postMessage(request)
        entry.backlog = undefined
        return
      }
      const job = entry.jobs.get(message.id)
      if (!job) return // cancelled meanwhile
      if (message.type === 'bytes') job.onBytes(message.bytes, message.done)
      else job.onFailure(new ExportUnavailable(`the PDF could not be written (${message.message.slice(0, 200)})`))
    })
    worker.on('error', (error) => {
      entry.error = error
    })
    worker.on('exit', (code) => {
      this.#workers.delete(entry)
      if (this.#closed) return
      // The next export starts a fresh worker; these ones fail now rather than hang.
      this.#failJobs(
        entry,
        new ExportUnavailable(
          `a PDF worker stopped while writing this file (${entry.error?.message ?? `exit code ${code}`}); download it again`,
        ),
      )
    })
    return entry
  }

  #failJobs(entry: PoolWorker, error: Error) {
    const jobs = [...entry.jobs.values()]
    entry.jobs.clear()
    for (const job of jobs) job.onFailure(error)
  }
}
