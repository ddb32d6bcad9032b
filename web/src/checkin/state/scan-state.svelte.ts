import { sessionEnded } from '../../shared/core/request-failure.ts'
import { checkInToken, type ScanOutcome } from '../core/check-in-token.ts'
import { CHECKIN_PROBLEMS } from '../core/checkin-text.ts'
import type { CheckinVerdict } from '../core/checkin-verdict.ts'
import type { OfflineKit } from '../core/offline-kit.ts'
import type { CheckinServer, CheckinStore } from '../ports.ts'

export interface ScanStateDeps {
  store: CheckinStore
  server: CheckinServer
  isOnline(): boolean
  now(): Date
  /** The server answered 401: the page asks staff to sign in again. */
  onSessionEnded(): void
  /** This device's id and kit, once the page has started. */
  ready(): Promise<{ deviceId: string; kit: OfflineKit; eventId?: string; otherEvents?: ReadonlyMap<string, string> }>
  /** A scan was decided; the page updates whether the server answers, and what waits to sync. */
  onDecided(outcome: ScanOutcome): Promise<void>
}

/** Scanning: the last verdict, a scan in hand, and why a scan could not be decided. */
export class ScanState {
  verdict = $state.raw<CheckinVerdict | null>(null)
  error = $state<string | null>(null)
  checking = $state(false)

  #scans: Promise<unknown> = Promise.resolve()

  constructor(private readonly deps: ScanStateDeps) {}

  /** Scans are decided one at a time, in the order they came (a handheld scanner can be quick). */
  checkIn(token: string): Promise<void> {
    const scan = this.#scans.then(() => this.#checkIn(token))
    this.#scans = scan.catch(() => undefined)
    return scan
  }

  async #checkIn(token: string): Promise<void> {
    if (token.trim() === '') {
      this.verdict = null
      this.error = CHECKIN_PROBLEMS.emptyToken
      return
    }
    const { deviceId, kit, eventId, otherEvents } = await this.deps.ready()
    this.checking = true
    this.error = null
    try {
      const outcome = await checkInToken(token, {
        store: this.deps.store,
        server: this.deps.server,
        kit,
        eventId,
        otherEvents,
        deviceId,
        isOnline: () => this.deps.isOnline(),
        now: () => this.deps.now(),
      })
      this.verdict = outcome.verdict
      await this.deps.onDecided(outcome)
    } catch (error) {
      this.verdict = null
      if (sessionEnded(error)) {
        this.error = CHECKIN_PROBLEMS.scanSessionEnded
        this.deps.onSessionEnded()
      } else this.error = CHECKIN_PROBLEMS.notCheckedIn(error)
    } finally {
      this.checking = false
    }
  }
}
