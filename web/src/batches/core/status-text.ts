import type { BatchProgress } from './batch-progress.ts'
import { formatCount } from '../../shared/core/format.ts'

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
    case 'completed':
      return 'Completed'
    case 'cancelled':
      return 'Cancelled'
  }
}

/** The worker failed to load or died (`reason` says how): said once, for the whole tab. */
export function workerStoppedText(reason: string): string {
  return `Boxoffice stopped working in this tab (${reason}). Nothing more is generated or uploaded here: reload the page to go on. Tickets staged so far are kept in this browser.`
}
