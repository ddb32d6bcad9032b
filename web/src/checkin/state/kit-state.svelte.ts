import type { CheckinBatch, CheckinKit } from '@boxoffice/tickets'
import { sessionEnded } from '../../shared/core/request-failure.ts'
import { CHECKIN_PROBLEMS } from '../core/checkin-text.ts'
import { loadOfflineKit, type OfflineKit } from '../core/offline-kit.ts'
import type { CheckinServer, CheckinStore, StoredKitBatch } from '../ports.ts'

export interface KitStateDeps {
  store: CheckinStore
  server: CheckinServer
  /** The server answered 401: the page asks staff to sign in again. */
  onSessionEnded(): void
  /** Keeps the built app for a reload without network; false where the browser cannot. */
  keepAppForOffline(): Promise<boolean>
  /** Resolves once the page has loaded what the device holds (so a new kit is not overwritten by it). */
  started(): Promise<void>
}

/** Offline kit preparation: the batches to choose from, the kit on this device, and what went wrong. */
export class KitState {
  kitBatches = $state.raw<StoredKitBatch[]>([])
  completedBatches = $state.raw<CheckinBatch[]>([])
  batchListError = $state<string | null>(null)
  preparing = $state(false)
  prepareError = $state<string | null>(null)
  refreshError = $state<string | null>(null)
  /** Whether a reload without network still opens this page (null: not known yet). */
  opensOffline = $state<boolean | null>(null)

  /** The kit as scans use it: each batch's key imported once. Not reactive. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- replaced whole, read by scans only
  kit: OfflineKit = new Map()

  constructor(private readonly deps: KitStateDeps) {}

  /** Takes up the kit this device holds. */
  async load(): Promise<void> {
    const batches = await this.deps.store.kitBatches()
    this.kitBatches = batches
    try {
      this.kit = await loadOfflineKit(batches)
    } catch (error) {
      // A kit stored by an older version may hold a key this one refuses (a small-order point):
      // the page still opens, and its batches count as not prepared until they are prepared again.
      this.refreshError = CHECKIN_PROBLEMS.kitUnusable(error)
    }
  }

  async refreshCompletedBatches(): Promise<void> {
    try {
      this.completedBatches = await this.deps.server.completedBatches()
      this.batchListError = null
    } catch (error) {
      if (sessionEnded(error)) return this.deps.onSessionEnded()
      this.batchListError = CHECKIN_PROBLEMS.batchListFailed(error)
    }
  }

  /** Downloads the kit for exactly these batches and keeps it on this device, with the app itself. */
  async prepare(batchIds: readonly string[]): Promise<void> {
    if (batchIds.length === 0) {
      this.prepareError = CHECKIN_PROBLEMS.noBatchChosen
      return
    }
    await this.deps.started()
    this.preparing = true
    this.prepareError = null
    try {
      await this.#save(await this.deps.server.kit(batchIds))
      this.refreshError = null
      this.opensOffline = await this.deps.keepAppForOffline()
    } catch (error) {
      if (sessionEnded(error)) this.deps.onSessionEnded()
      this.prepareError = CHECKIN_PROBLEMS.prepareFailed(error)
    } finally {
      this.preparing = false
    }
  }

  /** Fetches the prepared batches again, so revocations made meanwhile reach this device. */
  async refresh(): Promise<void> {
    const ids = this.kitBatches.map((batch) => batch.id)
    if (ids.length === 0) return
    try {
      await this.#save(await this.deps.server.kit(ids))
      this.refreshError = null
    } catch (error) {
      // The kit held keeps working; its revocations are as old as its fetchedAt says.
      this.refreshError = CHECKIN_PROBLEMS.kitRefreshFailed(error)
    }
  }

  async #save(kit: CheckinKit): Promise<void> {
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local lookup, not state
    const revoked = new Set(kit.revokedBatches)
    const batches = kit.batches.map((batch): StoredKitBatch => ({
      ...batch,
      revoked: batch.revoked || revoked.has(batch.id),
      fetchedAt: kit.serverTime,
    }))
    // Keys are imported before anything is replaced: a kit that cannot be used is not stored.
    const offline = await loadOfflineKit(batches)
    await this.deps.store.replaceKit(batches)
    this.kit = offline
    this.kitBatches = batches
  }
}
