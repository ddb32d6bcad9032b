import type { CheckinServer, CheckinStore } from '../ports.ts'
import { KitState, type KitStateDeps } from './kit-state.svelte.ts'
import { ScanState } from './scan-state.svelte.ts'
import { SyncState } from './sync-state.svelte.ts'

/** How often pending check-ins are tried again while the network seems up ('online' may not fire). */
const SYNC_RETRY_MS = 15_000

export interface CheckinStateDeps {
  store: CheckinStore
  server: CheckinServer
  isOnline(): boolean
  /** Calls back on the 'online' and 'offline' events until the function returned is called. */
  watchConnectivity(listener: () => void): () => void
  /** Runs `task` every `ms` until the function returned is called. */
  repeat(ms: number, task: () => void): () => void
  now(): Date
  /** The server answered 401: the page asks staff to sign in again. */
  onSessionEnded(): void
  keepAppForOffline(): Promise<boolean>
  appKeptForOffline(): Promise<boolean>
  cameraScanSupported(): Promise<boolean>
  /** Where the device keeps the event it admits (KitStateDeps.admitted). */
  admitted: KitStateDeps['admitted']
}

/**
 * The Check-in page's state, by concern: `scan` (the verdict), `kit` (offline preparation) and
 * `sync` (check-ins waiting for the server); this class holds what they share (the device, whether
 * the server answers) and the network watch and sync timer, released by `dispose()`.
 */
export class CheckinState {
  ready = $state(false)
  deviceId = $state<string | null>(null)
  /** navigator.onLine, and false after a scan found the server unreachable, until it answers again. */
  online = $state(true)
  cameraSupported = $state(false)
  /** Another tab's update of the app holds this device's check-in storage up (shared/io/open-database.ts). */
  storageNotice = $state<string | null>(null)

  readonly kit: KitState
  readonly sync: SyncState
  readonly scan: ScanState

  #started: Promise<void> | undefined
  /** What start() set up and dispose() lets go of. */
  #releases: (() => void)[] = []
  #disposed = false

  constructor(private readonly deps: CheckinStateDeps) {
    const { store, server, onSessionEnded } = deps
    this.kit = new KitState({
      store,
      server,
      onSessionEnded,
      keepAppForOffline: () => deps.keepAppForOffline(),
      started: () => this.start(),
      admitted: deps.admitted,
    })
    this.sync = new SyncState({
      store,
      server,
      onSessionEnded,
      now: () => deps.now(),
      deviceId: async () => (await this.start(), this.deviceId!),
      onSynced: async (sent) => {
        if (sent > 0) this.online = deps.isOnline()
        // Revocations made while this device was offline reach it now.
        await this.kit.refresh()
      },
    })
    this.scan = new ScanState({
      store,
      server,
      onSessionEnded,
      isOnline: () => deps.isOnline(),
      now: () => deps.now(),
      ready: async () => (
        await this.start(),
        { deviceId: this.deviceId!, kit: this.kit.kit, eventId: this.kit.eventId || undefined, otherEvents: this.kit.otherEvents }
      ),
      onDecided: async ({ verdict, offlineCause }) => {
        // Each scan asks the server again while the browser says it is online: it may be back.
        if (verdict.decidedBy === 'server') this.online = true
        else if (offlineCause !== 'unsynced-here') this.online = false
        if (verdict.decidedBy === 'device') await this.sync.countPending()
        else if (this.sync.pendingCount > 0) void this.sync.syncNow()
      },
    })
  }

  /** Loads what this device holds; then, when online, syncs and refreshes the kit. Once. */
  start(): Promise<void> {
    this.#started ??= this.#start()
    return this.#started
  }

  /** Lets go of the network watch and the sync timer; what is stored on the device stays. */
  dispose(): void {
    this.#disposed = true
    for (const release of this.#releases.splice(0)) release()
  }

  async #start(): Promise<void> {
    const { store, ...deps } = this.deps
    this.online = deps.isOnline()
    this.#hold(
      deps.watchConnectivity(() => {
        this.online = deps.isOnline()
        if (this.online) void this.#backOnline()
      }),
    )
    this.deviceId = await store.deviceId()
    await this.kit.load()
    await this.sync.countPending()
    this.ready = true
    void deps.appKeptForOffline().then((kept) => (this.kit.opensOffline ??= kept))
    void deps.cameraScanSupported().then((supported) => (this.cameraSupported = supported))
    this.#hold(
      deps.repeat(SYNC_RETRY_MS, () => {
        if (this.sync.pendingCount > 0 && deps.isOnline()) void this.sync.syncNow()
      }),
    )
    if (this.online && !this.#disposed) void this.#backOnline()
  }

  /** Keeps `release` for dispose(), or runs it at once when that already happened. */
  #hold(release: () => void) {
    if (this.#disposed) release()
    else this.#releases.push(release)
  }

  async #backOnline(): Promise<void> {
    await Promise.all([this.kit.refreshEvents(), this.sync.syncNow()])
  }
}
