// May this ticket enter? The one decision behind online check-in and offline sync: the token must
// be a ticket the server issued (token-check.ts), of a completed batch, not revoked, and not
// checked in before. The last two are decided inside one write transaction, so of any number of
// scanners racing on one ticket exactly one is admitted.
import type { CheckinInvalidReason } from '@boxoffice/tickets'
import type { SignedInAccount } from '../auth/sessions.ts'
import type { CheckinRecord, CheckinRepository, RevocationRecord } from '../db/checkin-repository.ts'
import type { BatchRecord, TicketRepository } from '../db/ticket-repository.ts'
import { InvalidRequest } from '../errors.ts'
import { checkToken } from '../tokens/token-check.ts'
import type { ChunkVerifier } from '../verification/chunk-verifier.ts'

export interface AdmissionDeps {
  repository: TicketRepository
  checkins: CheckinRepository
  verifier: ChunkVerifier
}

export interface CheckinAttempt {
  token: string
  /** ISO 8601 UTC, when the ticket was scanned. */
  checkedInAt: string
  deviceId: string | null
  /** The device's key for this scan, if it sent one. */
  idempotencyKey: string | null
  /** The event the gate admits; null: any. */
  eventId: string | null
}

type TicketRef = NonNullable<Awaited<ReturnType<typeof checkToken>>['ticket']>

export type Admission =
  | { outcome: 'invalid'; reason: CheckinInvalidReason; message: string; ticket?: TicketRef }
  /** Admitted now: this is the ticket's first check-in. */
  | { outcome: 'admitted'; ticket: TicketRef; checkedInAt: string }
  /** This very scan (same idempotency key, same account) was stored before: a retry, answered as the first was. */
  | { outcome: 'replayed'; ticket: TicketRef; checkedInAt: string }
  /** Someone checked the ticket in first. */
  | { outcome: 'already'; ticket: TicketRef; first: CheckinRecord }

/** The time normalised to `toISOString()` form, so that a device's retry compares equal to what was stored. */
export function normalizeTime(time: string, field: string): string {
  const date = new Date(time)
  // Date rolls impossible values over (2026-02-30 becomes 2026-03-02, 24:00 the next day): a time
  // that reads back differently was never on any clock. (`time` matches UtcTime: 19 characters, then fraction and Z.)
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 19) !== time.slice(0, 19)) {
    throw new InvalidRequest(`${field} ${JSON.stringify(time)} is not a valid date and time`)
  }
  return date.toISOString()
}

function stateProblem(batch: BatchRecord): Admission | undefined {
  if (batch.state === 'cancelled') {
    return { outcome: 'invalid', reason: 'BATCH_CANCELLED', message: `batch ${batch.id} was cancelled; none of its tickets may enter` }
  }
  if (batch.state === 'open') {
    return {
      outcome: 'invalid',
      reason: 'BATCH_NOT_COMPLETED',
      message: `batch ${batch.id} is not completed yet; its tickets may enter once it is`,
    }
  }
  return undefined
}

function revokedProblem(revocation: RevocationRecord, ticket: TicketRef): Admission {
  const why = revocation.reason ? ` (${revocation.reason})` : ''
  return revocation.serial === null
    ? {
        outcome: 'invalid',
        reason: 'BATCH_CANCELLED',
        message: `batch ${revocation.batchId} was revoked at ${revocation.revokedAt}${why}; none of its tickets may enter`,
        ticket,
      }
    : {
        outcome: 'invalid',
        reason: 'REVOKED',
        message: `ticket ${revocation.serial} of batch ${revocation.batchId} was revoked at ${revocation.revokedAt}${why}`,
        ticket,
      }
}

function unreachable(): never {
  throw new Error('a valid token check always names its ticket')
}

/** One admission per attempt, in order. Attempts are recorded in order, in one transaction. */
export async function admitTickets(
  deps: AdmissionDeps,
  attempts: readonly CheckinAttempt[],
  account: SignedInAccount,
): Promise<Admission[]> {
  const batches = new Map<string, Promise<BatchRecord | undefined>>()
  const batchOf = (id: string) => {
    let batch = batches.get(id)
    if (!batch) batches.set(id, (batch = deps.repository.getBatch(id)))
    return batch
  }
  // Signatures are checked concurrently (in the verification pool, when there is one).
  const checked = await Promise.all(
    attempts.map(async (attempt): Promise<Admission> => {
      const check = await checkToken(deps, attempt.token)
      const { ticket } = check
      // Without a good signature the token names nothing: answer as the token check does.
      if (!ticket) return check.valid ? unreachable() : { outcome: 'invalid', reason: check.reason, message: check.message }
      // A cancelled or unfinished batch is the better answer, even for a ticket the server lacks.
      const batch = await batchOf(ticket.batchId)
      // Last week's ticket at tonight's door: the first thing the door needs to hear.
      if (batch && attempt.eventId !== null && batch.eventId !== attempt.eventId) {
        return { outcome: 'invalid', reason: 'WRONG_EVENT', message: `Wrong event: ${batch.event}`, ticket }
      }
      const problem = batch && stateProblem(batch)
      if (problem) return { ...problem, ticket }
      if (!check.valid) return { outcome: 'invalid', reason: check.reason, message: check.message, ticket }
      return { outcome: 'admitted', ticket, checkedInAt: attempt.checkedInAt }
    }),
  )

  const toRecord = checked.flatMap((admission, index) => (admission.outcome === 'admitted' ? [index] : []))
  if (toRecord.length === 0) return checked
  const recordedAt = new Date().toISOString()
  const results = await deps.checkins.recordCheckins(
    toRecord.map((index): CheckinRecord => {
      const { ticket } = checked[index] as Extract<Admission, { outcome: 'admitted' }>
      const attempt = attempts[index]!
      return {
        batchId: ticket.batchId,
        serial: ticket.serial,
        checkedInAt: attempt.checkedInAt,
        deviceId: attempt.deviceId,
        recordedAt,
        recordedBy: account.id,
        idempotencyKey: attempt.idempotencyKey,
      }
    }),
  )
  toRecord.forEach((index, position) => {
    const { ticket } = checked[index] as Extract<Admission, { outcome: 'admitted' }>
    const attempt = attempts[index]!
    const result = results[position]!
    if (result.outcome === 'revoked') checked[index] = revokedProblem(result.revocation, ticket)
    else if (result.outcome === 'already') {
      const { first } = result
      // Only the key proves a retry: the device and time are in every already-checked-in answer,
      // the key in none. And only the account that recorded the scan may retry it.
      const sameScan = first.idempotencyKey !== null && first.idempotencyKey === attempt.idempotencyKey && first.recordedBy === account.id
      checked[index] = sameScan ? { outcome: 'replayed', ticket, checkedInAt: first.checkedInAt } : { outcome: 'already', ticket, first }
    }
  })
  return checked
}
