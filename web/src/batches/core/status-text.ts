import type { BatchProgress } from './batch-progress.ts'
import { formatCount, formatDuration, formatRate } from '../../shared/core/format.ts'

/** The one-line status a person reads; `now` drives the retry countdown. */
export function statusText(progress: BatchProgress, now: number): string {
  switch (progress.phase) {
    case 'generating':
      return 'Generating tickets…'
    case 'uploading':
      return 'Uploading…'
    case 'completing':
      return 'Completing the batch on the server…'
    case 'waiting-network': {
      const retry = progress.retry
      if (!retry) return 'Waiting for network…'
      const seconds = Math.max(0, Math.ceil((retry.at - now) / 1000))
      return `Waiting for network: ${retry.operation} failed (${retry.reason}); retrying in ${seconds} s (attempt ${retry.attempt})`
    }
    case 'offline':
      return 'Waiting for network: this device is offline; the upload continues when it is back'
    case 'signed-out':
      return 'Signed out: sign in again to continue. Nothing is lost; the upload resumes after signing in.'
    case 'paused':
      return 'Paused'
    case 'elsewhere':
      return 'Uploading in another tab'
    case 'failed':
      if (progress.failure?.code === 'STORAGE_FULL') {
        return `Stopped: this browser ran out of storage space after generating ${formatCount(progress.generated)} of ${formatCount(progress.quantity)} tickets. Nothing generated is lost. Free some space, then Resume to generate the rest.`
      }
      return `Failed: ${progress.failure?.message ?? 'unknown error'}`
    case 'completed': {
      const took = progress.tookMs === undefined ? '' : ` in ${formatDuration(progress.tookMs / 1000)}`
      const overall = progress.tookMs ? ` (${formatRate((progress.quantity * 1000) / progress.tookMs)} overall)` : ''
      return `Completed${took}: all ${formatCount(progress.quantity)} tickets are on the server${overall}`
    }
    case 'cancelled':
      return 'Cancelled'
  }
}

/** The worker failed to load or died (`reason` says how): said once, for the whole tab. */
export function workerStoppedText(reason: string): string {
  return `Boxoffice stopped working in this tab (${reason}). Nothing more is generated or uploaded here: reload the page to go on. Tickets staged so far are kept in this browser.`
}

/**
 * The line under a progress bar: the rate and what is left while it runs; once every ticket is
 * through, that it is done (with the rate, when this page measured it: after a reload it did not).
 */
export function progressDetail(done: number, quantity: number, perSecond: number): string {
  if (done >= quantity)
    return perSecond > 0 ? `All ${formatCount(quantity)} done, at ${formatRate(perSecond)}` : `All ${formatCount(quantity)} done`
  if (!(perSecond > 0)) return 'Measuring the rate…'
  return `${formatRate(perSecond)} · ${formatDuration((quantity - done) / perSecond)} left`
}

/** What the batch list says was generated for a batch this browser no longer holds. */
export function serverBatchGenerated(batch: { state: string; quantity: number }): string {
  if (batch.state === 'completed') return formatCount(batch.quantity)
  return batch.state === 'open' ? 'in another browser' : 'not kept'
}
