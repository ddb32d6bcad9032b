// Entry point of a verification worker. On Node 20 the tsx loader that runs the main thread does
// not apply inside worker threads (an inherited `--import tsx` still fails on `.ts`), so the
// worker registers tsx itself before importing its TypeScript. Works under `tsx src/server.ts`,
// `node --import tsx --test` and plain `node` alike.
import { register } from 'tsx/esm/api'

register()
await import('./verify-worker.ts')
