import fp from 'fastify-plugin'
import type { SynchronousMode } from '../db/open-sqlite.ts'
import { openSqliteTicketRepository } from '../db/sqlite-ticket-repository.ts'
import type { TicketRepository } from '../db/ticket-repository.ts'
import type { ChunkVerifier } from '../verification/chunk-verifier.ts'
import { createInProcessChunkVerifier } from '../verification/in-process-chunk-verifier.ts'

declare module 'fastify' {
  interface FastifyInstance {
    repository: TicketRepository
    chunkVerifier: ChunkVerifier
  }
}

export interface StorageOptions {
  dbPath: string
  synchronous?: SynchronousMode
  /** Replaces the in-process verifier. The app closes it with itself. */
  chunkVerifier?: ChunkVerifier
}

/** Opens the database (running migrations) and the verifier once; closes both when the app closes. */
export default fp<StorageOptions>(
  async function storage(app, options) {
    const repository = openSqliteTicketRepository(options.dbPath, { synchronous: options.synchronous })
    const verifier = options.chunkVerifier ?? createInProcessChunkVerifier()
    app.decorate('repository', repository)
    app.decorate('chunkVerifier', verifier)
    app.addHook('onClose', async () => {
      await verifier.close()
      await repository.close()
    })
  },
  { name: 'storage' },
)
