import type { CheckinKit, CheckinEvent } from '@boxoffice/tickets'
import { sessionEnded } from '../../shared/core/request-failure.ts'
import { CHECKIN_PROBLEMS } from '../core/checkin-text.ts'
import { loadOfflineKit, type OfflineKit } from '../core/offline-kit.ts'
import type { AdmittedEvent, CheckinServer, CheckinStore, StoredKitBatch } from '../ports.ts'

export interface KitStateDeps {
  store: CheckinStore
  server: CheckinServer
  /** The server answered 401: the page asks staff to sign in again. */
  onSessionEnded(): void
  /** Keeps the built app for a reload without network; false where the browser cannot. */
  keepAppForOffline(): Promise<boolean>
  /** Resolves once the page has loaded what the device holds (so a new kit is not overwritten by it). */
  started(): Promise<void>
  /** The event this device admits, kept on the device (small, so beside the kit rather than in it). */
  admitted: { load(): AdmittedEvent | undefined; save(event: AdmittedEvent): void }
}

/** The event this gate admits, its offline kit on this device, and what went wrong. */
export class KitState {
  kitBatches = $state.raw<StoredKitBatch[]>([])
  events = $state.raw<CheckinEvent[]>([])
  /** The event this gate admits; '' until chosen. */
  eventId = $state('')
  eventListError = $state<string | null>(null)
  /** Other events' batches (id → event name): offline, their tickets are refused by name. Not reactive. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- replaced whole, read by scans only
  otherEvents: ReadonlyMap<string, string> = new Map()
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
    const admitted = this.deps.admitted.load()
    if (admitted) this.#admit(admitted)
    const batches = await this.deps.store.kitBatches()
    // A kit of another event than the one admitted (or from before events) is not this gate's.
    this.kitBatches = batches.filter((batch) => batch.eventId === this.eventId)
    try {
      this.kit = await loadOfflineKit(this.kitBatches)
    } catch (error) {
      // A kit stored by an older version may hold a key this one refuses (a small-order point):
      // the page still opens, and its batches count as not prepared until they are prepared again.
      this.refreshError = CHECKIN_PROBLEMS.kitUnusable(error)
    }
  }

  async refreshEvents(): Promise<void> {
    try {
      this.events = await this.deps.server.events()
      this.eventListError = null
    } catch (error) {
      if (sessionEnded(error)) return this.deps.onSessionEnded()
      this.eventListError = CHECKIN_PROBLEMS.eventListFailed(error)
    }
  }

  /** The gate admits this event from now on; the kit held, if of another event, no longer counts. */
  choose(eventId: string): void {
    if (eventId === this.eventId) return
    this.#admit({ eventId, otherBatches: [] })
    this.deps.admitted.save({ eventId, otherBatches: [] })
    this.kitBatches = []
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- replaced whole, read by scans only
    this.kit = new Map()
  }

  /** Downloads the kit of the event this gate admits and keeps it on this device, with the app itself. */
  async prepare(): Promise<void> {
    if (!this.eventId) {
      this.prepareError = CHECKIN_PROBLEMS.noEventChosen
      return
    }
    await this.deps.started()
    this.preparing = true
    this.prepareError = null
    try {
      await this.#save(await this.deps.server.kit(this.eventId))
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
    if (!this.eventId || this.kitBatches.length === 0) return
    try {
      await this.#save(await this.deps.server.kit(this.eventId))
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
    const admitted = { eventId: kit.event.id, otherBatches: kit.otherBatches }
    this.deps.admitted.save(admitted)
    this.#admit(admitted)
    this.kit = offline
    this.kitBatches = batches
  }

  #admit({ eventId, otherBatches }: AdmittedEvent) {
    this.eventId = eventId
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- replaced whole, read by scans only
    this.otherEvents = new Map(otherBatches.map((batch) => [batch.id, batch.event]))
  }
}
