// A few worker threads (one per core by default) that sign batches and inspect the database, so
// that this work uses every core and never runs on the thread that times HTTP requests.
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import type { StorageConfig } from '@boxoffice/testkit/api-process'
import type { ServerTicketReport } from '@boxoffice/testkit/server-tickets'
import type { PreparedBatch } from './prepared-batch.ts'

export type TaskRequest =
  | { task: 'sign'; quantity: number; event: string; encoding: PreparedBatch['encoding'] }
  | { task: 'inspect'; database: StorageConfig; batchId: string; quantity: number }

export type TaskResponse = { task: 'sign'; batch: PreparedBatch } | { task: 'inspect'; report: ServerTicketReport }

type Reply = { ok: true; response: TaskResponse } | { ok: false; message: string }

const ENTRY = new URL('./worker-entry.mjs', import.meta.url)

export class WorkerPool {
  readonly #idle: Worker[] = []
  readonly #all: Worker[] = []
  readonly #waiting: ((worker: Worker) => void)[] = []

  constructor(threads = availableParallelism()) {
    for (let i = 0; i < threads; i++) {
      // execArgv: [] — the entry registers tsx itself; inherited loader flags fail on Node 20.
      const worker = new Worker(ENTRY, { execArgv: [] })
      this.#all.push(worker)
      this.#idle.push(worker)
    }
  }

  async #run(request: TaskRequest): Promise<TaskResponse> {
    const worker = this.#idle.pop() ?? (await new Promise<Worker>((resolve) => this.#waiting.push(resolve)))
    try {
      return await new Promise<TaskResponse>((resolve, reject) => {
        const onError = (error: Error) => reject(error)
        worker.once('error', onError)
        worker.once('message', (reply: Reply) => {
          worker.off('error', onError)
          if (reply.ok) resolve(reply.response)
          else reject(new Error(`worker task ${request.task} failed: ${reply.message}`))
        })
        worker.postMessage(request)
      })
    } finally {
      const next = this.#waiting.shift()
      if (next) next(worker)
      else this.#idle.push(worker)
    }
  }

  async sign(quantity: number, event: string, encoding: PreparedBatch['encoding']): Promise<PreparedBatch> {
    const response = await this.#run({ task: 'sign', quantity, event, encoding })
    if (response.task !== 'sign') throw new Error('worker answered the wrong task')
    return response.batch
  }

  async inspect(database: StorageConfig, batchId: string, quantity: number): Promise<ServerTicketReport> {
    const response = await this.#run({ task: 'inspect', database, batchId, quantity })
    if (response.task !== 'inspect') throw new Error('worker answered the wrong task')
    return response.report
  }

  async close(): Promise<void> {
    await Promise.all(this.#all.map((worker) => worker.terminate()))
  }
}
