import { ApiError, sessionEnded } from '../../shared/core/request-failure.ts'
import { CHECKIN_PROBLEMS } from '../core/checkin-text.ts'
import { syncPendingCheckins } from '../core/sync-pending.ts'
import type { SyncSummary } from '../core/sync-summary.ts'
import type { CheckinServer, CheckinStore } from '../ports.ts'

export interface LastSync {
  at: string
  sent: number
  summary: SyncSummary
}

export interface SyncStateDeps {
  store: CheckinStore
  server: CheckinServer
  now(): Date
  /** The server answered 401: the page asks staff to sign in again. */
  onSessionEnded(): void
  /** This device's id, once the page has started. */
  deviceId(): Promise<string>
  /** A sync went through: the server answers again, and the kit may have news. */
  onSynced(sent: number): Promise<void>
}

/** Check-ins admitted offline and their way to the server: how many wait, the last sync, what failed. */
export class SyncState {
  pendingCount = $state(0)
  syncing = $state(false)
  lastSync = $state.raw<LastSync | null>(null)
  error = $state<string | null>(null)

  #run: Promise<void> | undefined

  constructor(private readonly deps: SyncStateDeps) {}

  async countPending(): Promise<void> {
    this.pendingCount = await this.deps.store.countPending()
  }

  /** One sync at a time: the 'online' event, the retry timer and the button may coincide. */
  syncNow(): Promise<void> {
    this.#run ??= this.#sync().finally(() => (this.#run = undefined))
    return this.#run
  }

  async #sync(): Promise<void> {
    const deviceId = await this.deps.deviceId()
    this.syncing = true
    try {
      const run = await syncPendingCheckins({ store: this.deps.store, server: this.deps.server, deviceId })
      if (run.sent > 0) this.lastSync = { at: this.deps.now().toISOString(), sent: run.sent, summary: run.summary }
      await this.countPending()
      if (run.failure !== undefined) {
        this.error =
          run.failure instanceof ApiError && run.failure.code === 'DEVICE_REVOKED'
            ? CHECKIN_PROBLEMS.deviceRevoked(run.failure)
            : CHECKIN_PROBLEMS.syncFailed(run.failure)
        if (sessionEnded(run.failure)) {
          this.error = CHECKIN_PROBLEMS.syncSessionEnded
          this.deps.onSessionEnded()
        }
        return
      }
      this.error = null
      await this.deps.onSynced(run.sent)
    } finally {
      this.syncing = false
    }
  }
}
