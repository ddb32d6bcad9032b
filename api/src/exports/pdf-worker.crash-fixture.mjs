// Test double of pdf-worker.mjs: the real worker, except that a PDF whose title contains "crash the
// worker" throws an uncaught error at its first tickets, as a bug or running out of memory would.
import { parentPort } from 'node:worker_threads'
import { register } from 'tsx/esm/api'

register()
const crashing = new Set()
// Registered before the real handler, which it keeps from answering.
parentPort.addEventListener('message', (event) => {
  const request = event.data
  if (request.type === 'start' && request.title.includes('crash the worker')) crashing.add(request.id)
  if (request.type !== 'tickets' || !crashing.has(request.id)) return
  event.stopImmediatePropagation()
  throw new Error('simulated PDF worker crash')
})
await import('./pdf-worker.ts')
