// What the Check-in page answers for one scanned token, whoever decided it: the server (online) or
// this device (offline, from the kit and its own records).
import type { CheckinInvalidReason, CheckinResult } from '@boxoffice/tickets'

export type TicketRef = Extract<CheckinResult, { result: 'valid' }>['ticket']

/** The server's reasons, plus the one only an offline device has: it holds no kit for the batch. */
export type RefusalReason = CheckinInvalidReason | 'NOT_PREPARED'

/** `server`: the answer of POST /api/checkins. `device`: decided here without the network. */
export type DecidedBy = 'server' | 'device'

/**
 * Why the device decided: the browser is offline, the server did not answer, or the ticket was
 * admitted here offline and not yet synced (which the server cannot know).
 */
export type OfflineCause = 'browser-offline' | 'server-unreachable' | 'unsynced-here'

export type CheckinVerdict =
  | { result: 'valid'; checkedInAt: string; ticket: TicketRef; decidedBy: DecidedBy }
  /** `checkedInAt` and `deviceId` are the first check-in's; deviceId null when that device sent none. */
  | { result: 'already-checked-in'; checkedInAt: string; deviceId: string | null; ticket: TicketRef; decidedBy: DecidedBy }
  | { result: 'invalid'; reason: RefusalReason; message: string; ticket?: TicketRef; decidedBy: DecidedBy }

export function fromServerResult(result: CheckinResult): CheckinVerdict {
  return { ...result, decidedBy: 'server' }
}
