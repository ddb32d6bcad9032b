import type { ChunkVerifier } from './chunk-verifier.ts'
import { createInProcessChunkVerifier, type InProcessVerifierOptions } from './in-process-chunk-verifier.ts'
import { createWorkerPoolChunkVerifier, type WorkerPoolOptions } from './worker-pool-chunk-verifier.ts'

/** `threads: 0` verifies on the calling thread; more starts a worker pool of that size. */
export async function createChunkVerifier(
  options: WorkerPoolOptions & InProcessVerifierOptions & { threads: number },
): Promise<ChunkVerifier> {
  return options.threads === 0 ? createInProcessChunkVerifier(options) : createWorkerPoolChunkVerifier(options)
}
