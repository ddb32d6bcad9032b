// Entry point of a PDF worker: registers tsx inside the thread (see verification/verify-worker.mjs
// for why), then loads the TypeScript.
import { register } from 'tsx/esm/api'

register()
await import('./pdf-worker.ts')
