// What the page shows of a batch, and how each event of a run changes it: a pure reducer, so the
// phases are tested without timers (the worker only throttles what it sends, worker/progress-reporter.ts).
import { chunkSerialRange, type BatchSummary, type Ticket } from '@boxoffice/tickets'
import { RequestRejectedError, type RetryNotice } from './call-with-retry.ts'
import type { BatchFailure, LocalBatch } from './local-batch.ts'

export type BatchPhase =
  | 'generating'
  | 'uploading'
  | 'completing'
  | 'waiting-network'
  | 'offline'
  | 'signed-out'
  | 'paused'
  | 'elsewhere'
  | 'failed'
  | 'completed'
  | 'cancelled'

/** What the page shows of one batch; sent by the worker a few times a second. */
export interface BatchProgress {
  id: string
  event: string
  ticketType: string
  quantity: number
  generated: number
  uploaded: number
  phase: BatchPhase
  /** Set while waiting to retry: when the next attempt is due (epoch ms) and which attempt it is. */
  retry?: { at: number; attempt: number; operation: string; reason: string }
  failure?: BatchFailure
  /** Set when generation stopped early but upload of what was staged goes on. */
  generationError?: string
  preview: Ticket[]
  generateRate: number
  uploadRate: number
  /** The server accepted the batch, and so reserved its tickets from the ticket type's capacity. */
  registered?: boolean
  /** Once finished: how long it took from its creation, in ms (unknown when it finished elsewhere). */
  tookMs?: number
}

export function initialProgress(batch: LocalBatch): BatchProgress {
  return {
    id: batch.id,
    event: batch.event,
    ticketType: batch.ticketType,
    quantity: batch.quantity,
    generated: batch.generatedCount,
    uploaded: 0,
    phase: batch.failure ? 'failed' : batch.paused ? 'paused' : 'generating',
    failure: batch.failure,
    registered: batch.registered,
    preview: [],
    generateRate: 0,
    uploadRate: 0,
  }
}

/**
 * A finished batch as the server lists it: what the page shows of a batch it no longer stages (one
 * that finished while the page reloaded, say).
 */
export function finishedProgress(batch: BatchSummary): BatchProgress {
  const tookMs = batch.finishedAt ? Date.parse(batch.finishedAt) - Date.parse(batch.createdAt) : NaN
  return {
    id: batch.id,
    event: batch.event,
    ticketType: batch.ticketType,
    quantity: batch.quantity,
    generated: batch.state === 'completed' ? batch.quantity : batch.ticketsReceived,
    uploaded: batch.ticketsReceived,
    phase: batch.state === 'completed' ? 'completed' : 'cancelled',
    registered: true,
    preview: [],
    generateRate: 0,
    uploadRate: 0,
    ...(Number.isFinite(tookMs) && tookMs >= 0 ? { tookMs } : {}),
  }
}

/** Phases of a batch that runs in this tab. */
const ACTIVE: ReadonlySet<BatchPhase> = new Set(['generating', 'uploading', 'completing', 'waiting-network', 'offline', 'signed-out'])
/** Phases that hold the upload back; progress reports do not override them. */
const WAITING: ReadonlySet<BatchPhase> = new Set(['waiting-network', 'offline', 'signed-out'])

/** A batch's progress, and what this tab's run measures its rates from. */
export interface ProgressState {
  progress: BatchProgress
  /** Set while a run goes on: when it started (monotonic ms) and the counts then. */
  run?: { startedAt: number; generatedAtStart: number; uploadedAtStart?: number }
}

export type ProgressEvent =
  /** This tab runs the batch (it holds the lock), from `generated` staged tickets. */
  | { kind: 'run-started'; generated: number }
  /** A staging transaction committed. */
  | { kind: 'staged'; generated: number; preview: readonly Ticket[] }
  /** Generation stopped early (storage full); what was staged still uploads. */
  | { kind: 'generation-stopped'; message: string }
  /** The server's count, once it told what it holds. */
  | { kind: 'server-holds'; uploaded: number }
  | { kind: 'chunk-acked'; uploaded: number }
  /** A retry notice; `target` names what failed, `retryAt` (epoch ms) is when a retry is due. */
  | { kind: 'notice'; notice: RetryNotice; target: string; retryAt: number }
  /** Anything the supervisor decides: paused, resumed, elsewhere, completed, failed, cancelled, the server's count of a waiting batch. */
  | { kind: 'set'; change: Partial<BatchProgress> }

/** The state after `event` at monotonic time `now`; `urgent` when the page must see it at once. */
export function advanceProgress(state: ProgressState, event: ProgressEvent, now: number): { state: ProgressState; urgent: boolean } {
  const { progress: current } = state
  let run = state.run
  let change: Partial<BatchProgress>
  let urgent = true
  switch (event.kind) {
    case 'run-started':
      run = { startedAt: now, generatedAtStart: event.generated }
      change = {
        phase: event.generated < current.quantity ? 'generating' : 'uploading',
        generated: event.generated,
        generateRate: 0,
        uploadRate: 0,
      }
      return { state: { progress: { ...current, ...change }, run }, urgent }
    case 'staged':
      change = { generated: event.generated, preview: [...event.preview], phase: workingPhase(current, event.generated) }
      urgent = false
      break
    case 'generation-stopped':
      change = { generationError: event.message, phase: current.phase === 'generating' ? 'uploading' : current.phase }
      break
    case 'server-holds':
      if (run && run.uploadedAtStart === undefined) run = { ...run, uploadedAtStart: event.uploaded }
      change = { uploaded: event.uploaded, registered: true }
      urgent = current.registered !== true
      break
    case 'chunk-acked': {
      if (run && run.uploadedAtStart === undefined) run = { ...run, uploadedAtStart: 0 }
      // An acknowledged chunk means uploads get through again, whatever held them back.
      const phase = event.uploaded >= current.quantity ? 'completing' : recoveredPhase(current)
      urgent = phase !== current.phase
      change = urgent ? { uploaded: event.uploaded, phase, retry: undefined } : { uploaded: event.uploaded }
      break
    }
    case 'notice':
      change = noticeChange(current, event)
      break
    case 'set':
      change = event.change
      break
  }
  return { state: { progress: { ...current, ...change, ...rates(current, run, change, now) }, run }, urgent }
}

function noticeChange(
  current: BatchProgress,
  { notice, target, retryAt }: Extract<ProgressEvent, { kind: 'notice' }>,
): Partial<BatchProgress> {
  switch (notice.kind) {
    case 'retrying':
      return { phase: 'waiting-network', retry: { at: retryAt, attempt: notice.attempt, operation: target, reason: failureReason(notice) } }
    case 'signed-out':
      return { phase: 'signed-out', retry: undefined }
    case 'offline':
      return { phase: 'offline', retry: undefined }
    case 'recovered':
      return { phase: recoveredPhase(current), retry: undefined }
  }
}

/** "503 STORAGE_UNAVAILABLE", or the network error's message. */
export function failureReason(notice: Extract<RetryNotice, { kind: 'retrying' }>): string {
  return notice.failure.kind === 'network' ? notice.failure.message : `${notice.failure.status} ${notice.failure.code}`
}

function rates(current: BatchProgress, run: ProgressState['run'], change: Partial<BatchProgress>, now: number): Partial<BatchProgress> {
  const seconds = run ? (now - run.startedAt) / 1000 : 0
  if (!run || seconds <= 0) return {}
  const generated = change.generated ?? current.generated
  const uploaded = change.uploaded ?? current.uploaded
  return {
    generateRate:
      generated < current.quantity || change.generated !== undefined ? (generated - run.generatedAtStart) / seconds : current.generateRate,
    uploadRate: run.uploadedAtStart === undefined ? 0 : (uploaded - run.uploadedAtStart) / seconds,
  }
}

/** The phase after generation progress: it does not clear a wait for the network or a sign-in. */
function workingPhase(current: BatchProgress, generated: number): BatchPhase {
  if (!ACTIVE.has(current.phase) && current.phase !== 'elsewhere') return current.phase
  if (WAITING.has(current.phase)) return current.phase
  return stillGenerating(current, generated) ? 'generating' : 'uploading'
}

/** The phase once a request went through: whatever held the upload back is over. */
function recoveredPhase(current: BatchProgress): BatchPhase {
  if (!ACTIVE.has(current.phase)) return current.phase
  if (current.uploaded >= current.quantity) return 'completing'
  return stillGenerating(current, current.generated) ? 'generating' : 'uploading'
}

function stillGenerating(current: BatchProgress, generated: number): boolean {
  return generated < current.quantity && current.generationError === undefined
}

const number = (value: number) => value.toLocaleString('en-US')

/** A person-readable account of why a batch stopped, naming the chunk and tickets where there is one. */
export function describeFailure(error: unknown, quantity: number): BatchFailure {
  if (error instanceof RequestRejectedError) {
    const { chunkIndex } = error
    if (chunkIndex !== undefined) {
      const serialRange = chunkSerialRange(chunkIndex, quantity)
      return {
        message: `Server rejected chunk ${chunkIndex} (tickets ${number(serialRange[0])}–${number(serialRange[1])}): ${error.failure.message}`,
        code: error.failure.code,
        chunkIndex,
        serialRange,
      }
    }
    return { message: `Server refused to ${error.operation}: ${error.failure.message}`, code: error.failure.code }
  }
  if (error instanceof DOMException && error.name === 'QuotaExceededError') {
    return {
      message: 'This browser ran out of storage space while staging tickets. Everything staged so far is kept.',
      code: 'STORAGE_FULL',
    }
  }
  return { message: error instanceof Error ? error.message : String(error) }
}
