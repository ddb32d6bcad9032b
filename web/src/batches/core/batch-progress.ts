import { chunkSerialRange, type Ticket } from '@boxoffice/tickets'
import { RequestRejectedError } from './call-with-retry.ts'
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
    preview: [],
    generateRate: 0,
    uploadRate: 0,
  }
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
    return { message: 'This browser ran out of storage space while staging tickets. Everything staged so far is kept.', code: 'STORAGE_FULL' }
  }
  return { message: error instanceof Error ? error.message : String(error) }
}
