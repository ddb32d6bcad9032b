import fp from 'fastify-plugin'
import type { AccountRepository } from '../db/account-repository.ts'
import type { CheckinRepository } from '../db/checkin-repository.ts'
import type { SynchronousMode } from '../db/open-sqlite.ts'
import { openSqliteStorage, type SqliteStorage } from '../db/sqlite-storage.ts'
import type { TicketRepository } from '../db/ticket-repository.ts'
import type { ChunkVerifier } from '../verification/chunk-verifier.ts'
import { createChunkVerifier } from '../verification/create-chunk-verifier.ts'

declare module 'fastify' {
  interface FastifyInstance {
    repository: TicketRepository
    accounts: AccountRepository
    checkins: CheckinRepository
    chunkVerifier: ChunkVerifier
  }
}

export interface StorageOptions {
  dbPath: string
  synchronous?: SynchronousMode
  /** Replaces opening `dbPath`: storage already open. The app closes it with itself. */
  storage?: SqliteStorage
  /** Replaces the in-process verifier. The app closes it with itself. */
  chunkVerifier?: ChunkVerifier
  /** Otherwise: worker threads that verify signatures; 0 (the default) verifies on the main thread. */
  verifyThreads?: number
}

/** Opens the database (running migrations) and the verifier once; closes both when the app closes. */
export default fp<StorageOptions>(
  async function storage(app, options) {
    const storage = options.storage ?? openSqliteStorage(options.dbPath, { synchronous: options.synchronous })
    // Read back from the connection, so the log shows what is in force, not what was asked for.
    app.log.info(storage.durability(), 'database open')
    const verifier = options.chunkVerifier ?? (await createChunkVerifier({
      threads: options.verifyThreads ?? 0,
      onWorkerExit: (error) => app.log.error({ err: error }, 'verification worker died; its chunks failed, a new one is starting'),
    }))
    app.decorate('repository', storage.tickets)
    app.decorate('accounts', storage.accounts)
    app.decorate('checkins', storage.checkins)
    app.decorate('chunkVerifier', verifier)
    app.addHook('onClose', async () => {
      await verifier.close()
      await storage.close()
    })
  },
  { name: 'storage' },
)
