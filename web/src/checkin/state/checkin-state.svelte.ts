import type { CheckinBatch, CheckinKit } from '@boxoffice/tickets'
import { checkInToken } from '../core/check-in-token.ts'
import type { CheckinServer, CheckinStore, StoredKitBatch } from '../ports.ts'
import type { CheckinVerdict } from '../core/checkin-verdict.ts'
import { loadOfflineKit, type OfflineKit } from '../core/offline-kit.ts'
import { syncPendingCheckins } from '../core/sync-pending.ts'
import type { SyncSummary } from '../core/sync-summary.ts'
import { sessionEnded } from '../../shared/core/request-failure.ts'

/** How often pending check-ins are tried again while the network seems up ('online' may not fire). */
const SYNC_RETRY_MS = 15_000

export interface CheckinStateDeps {
  store: CheckinStore
  server: CheckinServer
  isOnline(): boolean
  /** Calls back on the 'online' and 'offline' events. */
  watchConnectivity(listener: () => void): void
  now(): Date
  /** The server answered 401: the page asks staff to sign in again. */
  onSessionEnded(): void
  keepAppForOffline(): Promise<boolean>
  appKeptForOffline(): Promise<boolean>
  cameraScanSupported(): Promise<boolean>
}

export interface LastSync {
  at: string
  sent: number
  summary: SyncSummary
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** The Check-in page's state: the last verdict, the offline kit, check-ins waiting to sync. */
export class CheckinState {
  ready = $state(false)
  deviceId = $state<string | null>(null)
  /** navigator.onLine, and false after a scan found the server unreachable, until it answers again. */
  online = $state(true)
  cameraSupported = $state(false)

  verdict = $state.raw<CheckinVerdict | null>(null)
  checkError = $state<string | null>(null)
  checking = $state(false)

  kitBatches = $state.raw<StoredKitBatch[]>([])
  completedBatches = $state.raw<CheckinBatch[]>([])
  batchListError = $state<string | null>(null)
  preparing = $state(false)
  prepareError = $state<string | null>(null)
  kitRefreshError = $state<string | null>(null)
  /** Another tab's update of the app holds this device's check-in storage up (shared/io/open-database.ts). */
  storageNotice = $state<string | null>(null)
  /** Whether a reload without network still opens this page (null: not known yet). */
  opensOffline = $state<boolean | null>(null)

  pendingCount = $state(0)
  syncing = $state(false)
  lastSync = $state.raw<LastSync | null>(null)
  syncError = $state<string | null>(null)

  #kit: OfflineKit = new Map()
  #started: Promise<void> | undefined
  #scans: Promise<unknown> = Promise.resolve()
  #syncRun: Promise<void> | undefined

  constructor(private readonly deps: CheckinStateDeps) {}

  /** Loads what this device holds; then, when online, syncs and refreshes the kit. Once. */
  start(): Promise<void> {
    this.#started ??= this.#start()
    return this.#started
  }

  async #start(): Promise<void> {
    const { store, ...deps } = this.deps
    this.online = deps.isOnline()
    deps.watchConnectivity(() => {
      this.online = deps.isOnline()
      if (this.online) void this.#backOnline()
    })
    this.deviceId = await store.deviceId()
    await this.#useKit(await store.kitBatches())
    this.pendingCount = await store.countPending()
    this.ready = true
    void deps.appKeptForOffline().then((kept) => (this.opensOffline ??= kept))
    void deps.cameraScanSupported().then((supported) => (this.cameraSupported = supported))
    setInterval(() => {
      if (this.pendingCount > 0 && deps.isOnline()) void this.syncNow()
    }, SYNC_RETRY_MS)
    if (this.online) void this.#backOnline()
  }

  async #backOnline(): Promise<void> {
    await Promise.all([this.refreshCompletedBatches(), this.syncNow()])
  }

  /** Scans are decided one at a time, in the order they came (a handheld scanner can be quick). */
  checkIn(token: string): Promise<void> {
    const scan = this.#scans.then(() => this.#checkIn(token))
    this.#scans = scan.catch(() => undefined)
    return scan
  }

  async #checkIn(token: string): Promise<void> {
    if (token.trim() === '') {
      this.verdict = null
      this.checkError = 'Enter or scan a ticket token.'
      return
    }
    await this.start()
    this.checking = true
    this.checkError = null
    try {
      const { verdict, offlineCause } = await checkInToken(token, {
        store: this.deps.store,
        server: this.deps.server,
        kit: this.#kit,
        deviceId: this.deviceId!,
        isOnline: () => this.deps.isOnline(),
        now: () => this.deps.now(),
      })
      this.verdict = verdict
      // Each scan asks the server again while the browser says it is online: it may be back.
      if (verdict.decidedBy === 'server') this.online = true
      else if (offlineCause !== 'unsynced-here') this.online = false
      if (verdict.decidedBy === 'device') this.pendingCount = await this.deps.store.countPending()
      else if (this.pendingCount > 0) void this.syncNow()
    } catch (error) {
      this.verdict = null
      if (sessionEnded(error)) {
        this.checkError = 'Your session ended. Sign in again to check tickets in.'
        this.deps.onSessionEnded()
      } else this.checkError = `Not checked in: ${messageOf(error)}. Do not admit this ticket yet; try again.`
    } finally {
      this.checking = false
    }
  }

  /** One sync at a time: the 'online' event, the retry timer and the button may coincide. */
  syncNow(): Promise<void> {
    this.#syncRun ??= this.#sync().finally(() => (this.#syncRun = undefined))
    return this.#syncRun
  }

  async #sync(): Promise<void> {
    await this.start()
    this.syncing = true
    try {
      const run = await syncPendingCheckins({ store: this.deps.store, server: this.deps.server, deviceId: this.deviceId! })
      if (run.sent > 0) this.lastSync = { at: this.deps.now().toISOString(), sent: run.sent, summary: run.summary }
      this.pendingCount = await this.deps.store.countPending()
      if (run.failure !== undefined) {
        this.syncError = `${messageOf(run.failure)}. The check-ins stay on this device and are sent again.`
        if (sessionEnded(run.failure)) {
          this.syncError = 'Your session ended. Sign in again to sync; the check-ins stay on this device.'
          this.deps.onSessionEnded()
        }
        return
      }
      this.syncError = null
      if (run.sent > 0) this.online = this.deps.isOnline()
      // Revocations made while this device was offline reach it now.
      await this.#refreshKit()
    } finally {
      this.syncing = false
    }
  }

  async refreshCompletedBatches(): Promise<void> {
    try {
      this.completedBatches = await this.deps.server.completedBatches()
      this.batchListError = null
    } catch (error) {
      if (sessionEnded(error)) return this.deps.onSessionEnded()
      this.batchListError = `Could not load the completed batches (${messageOf(error)}).`
    }
  }

  /** Downloads the kit for exactly these batches and keeps it on this device, with the app itself. */
  async prepare(batchIds: readonly string[]): Promise<void> {
    if (batchIds.length === 0) {
      this.prepareError = 'Choose at least one batch.'
      return
    }
    await this.start()
    this.preparing = true
    this.prepareError = null
    try {
      await this.#saveKit(await this.deps.server.kit(batchIds))
      this.kitRefreshError = null
      this.opensOffline = await this.deps.keepAppForOffline()
    } catch (error) {
      if (sessionEnded(error)) this.deps.onSessionEnded()
      this.prepareError = `Could not prepare for offline check-in (${messageOf(error)}).`
    } finally {
      this.preparing = false
    }
  }

  async #refreshKit(): Promise<void> {
    const ids = this.kitBatches.map((batch) => batch.id)
    if (ids.length === 0) return
    try {
      await this.#saveKit(await this.deps.server.kit(ids))
      this.kitRefreshError = null
    } catch (error) {
      // The kit held keeps working; its revocations are as old as its fetchedAt says.
      this.kitRefreshError = `Could not refresh the offline kit (${messageOf(error)}).`
    }
  }

  async #saveKit(kit: CheckinKit): Promise<void> {
    const revoked = new Set(kit.revokedBatches)
    const batches = kit.batches.map((batch): StoredKitBatch => ({ ...batch, revoked: batch.revoked || revoked.has(batch.id), fetchedAt: kit.serverTime }))
    // Keys are imported before anything is replaced: a kit that cannot be used is not stored.
    const offline = await loadOfflineKit(batches)
    await this.deps.store.replaceKit(batches)
    this.#kit = offline
    this.kitBatches = batches
  }

  async #useKit(batches: StoredKitBatch[]): Promise<void> {
    this.#kit = await loadOfflineKit(batches)
    this.kitBatches = batches
  }
}
