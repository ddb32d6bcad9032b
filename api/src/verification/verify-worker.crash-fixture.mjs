// Test double of verify-worker.mjs: the real worker, except that a chunk of the ticket type
// "crash the worker" throws an uncaught error before it is checked, as a bug or OOM would, and
// that a worker started while VERIFY_WORKER_FAIL_START=1 dies before it is ready.
import { parentPort } from 'node:worker_threads'
import { register } from 'tsx/esm/api'

if (process.env.VERIFY_WORKER_FAIL_START === '1') throw new Error('simulated start failure')
register()
// Registered before the real handler, which it keeps from answering.
parentPort.addEventListener('message', (event) => {
  if (event.data.batch.ticketType !== 'crash the worker') return
  event.stopImmediatePropagation()
  throw new Error('simulated verification worker crash')
})
await import('./verify-worker.ts')
