// Entry point of a load-test worker thread. On Node 20 the parent's tsx loader does not apply
// inside worker threads, so the worker registers tsx itself before importing its TypeScript
// (as api/src/verification/verify-worker.mjs does).
import { register } from 'tsx/esm/api'

register()
await import('./worker-tasks.ts')
