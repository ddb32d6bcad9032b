import fp from 'fastify-plugin'
import type { AccountRepository } from '../db/account-repository.ts'
import type { AuditRepository } from '../db/audit-repository.ts'
import type { DeviceRepository } from '../db/device-repository.ts'
import type { CheckinRepository } from '../db/checkin-repository.ts'
import type { EventRepository } from '../db/event-repository.ts'
import type { LoginAttemptRepository } from '../db/login-attempt-repository.ts'
import { openStorage } from '../db/open-storage.ts'
import type { Storage, StorageConfig } from '../db/storage.ts'
import type { TicketRepository } from '../db/ticket-repository.ts'
import type { ChunkVerifier } from '../verification/chunk-verifier.ts'
import { createChunkVerifier } from '../verification/create-chunk-verifier.ts'
import type { SignatureLibraryChoice } from '../verification/signature-check.ts'

declare module 'fastify' {
  interface FastifyInstance {
    repository: TicketRepository
    accounts: AccountRepository
    checkins: CheckinRepository
    events: EventRepository
    loginAttempts: LoginAttemptRepository
    devices: DeviceRepository
    audit: AuditRepository
    chunkVerifier: ChunkVerifier
  }
}

export interface StorageOptions {
  /** The database to open (and migrate). */
  database?: StorageConfig
  /** Instead: storage already open. The app closes it with itself. */
  storage?: Storage
  /** Replaces the in-process verifier. The app closes it with itself. */
  chunkVerifier?: ChunkVerifier
  /** Otherwise: worker threads that verify signatures; 0 (the default) verifies on the main thread. */
  verifyThreads?: number
  /** And which library checks them (default `auto`: libsodium when it loads, else OpenSSL). */
  verifyLibrary?: SignatureLibraryChoice
}

/** Opens the database (running migrations) and the verifier once; closes both when the app closes. */
export default fp<StorageOptions>(
  async function storage(app, options) {
    if (!options.storage && !options.database) throw new TypeError('the app needs a database (or storage already open)')
    const storage = options.storage ?? (await openStorage(options.database!))
    // Read back from the database, so the log shows what is in force, not what was asked for.
    app.log.info(await storage.describe(), 'database open')
    for (const warning of storage.warnings) app.log.warn(warning)
    const verifier =
      options.chunkVerifier ??
      (await createChunkVerifier({
        threads: options.verifyThreads ?? 0,
        library: options.verifyLibrary,
        onWorkerExit: (error) => app.log.error({ err: error }, 'verification worker died; its chunks failed, a new one is starting'),
      }))
    app.log.info({ library: verifier.library, threads: options.verifyThreads ?? 0 }, 'signature checks')
    app.decorate('repository', storage.tickets)
    app.decorate('accounts', storage.accounts)
    app.decorate('checkins', storage.checkins)
    app.decorate('events', storage.events)
    app.decorate('loginAttempts', storage.loginAttempts)
    app.decorate('devices', storage.devices)
    app.decorate('audit', storage.audit)
    app.decorate('chunkVerifier', verifier)
    app.addHook('onClose', async () => {
      await verifier.close()
      await storage.close()
    })
  },
  { name: 'storage' },
)
