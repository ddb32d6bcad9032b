// Wire contract of check-in at the gate: online redeem, offline sync, the offline kit, revocation.
import Type from 'typebox'
import { MAX_QUANTITY, MAX_TOKEN_LENGTH } from './limits.ts'
import { BATCH_ID_PATTERN, BatchId, BatchIdentity, IndexRange, TicketRef } from './schemas.ts'

/** Most check-ins one sync request may carry; a device with more sends several requests. */
export const MAX_SYNC_CHECKINS = 1_000
/** Most batches one check-in kit may cover: an event with more is refused, and should be split. */
export const MAX_KIT_BATCHES = 1_000
/** Most batches of other events a kit names (see CheckinKit.otherBatches). */
export const MAX_KIT_OTHER_BATCHES = 5_000

const EventIdPattern = Type.String({ pattern: `^${BATCH_ID_PATTERN}$`, description: 'an event id (GET /api/events)' })

/** Chosen by the scanning device once (e.g. crypto.randomUUID()) and kept; tells devices apart in conflicts. */
export const DeviceId = Type.String({ pattern: '^[A-Za-z0-9._:-]{1,64}$' })

/**
 * Chosen by the scanning device for each scan, at random (crypto.randomUUID()), and sent again
 * with every retry and sync of that scan: a check-in sent with the key it was recorded with, by
 * the account that recorded it, is a retry and answered as the first was. The server stores it and
 * never sends it back, so an answer gives nobody what a retry needs.
 */
export const IdempotencyKey = Type.String({ pattern: '^[A-Za-z0-9_-]{16,64}$' })

/** An ISO 8601 UTC time as Date.prototype.toISOString writes it (milliseconds optional). */
export const UtcTime = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,3})?Z$' })

export const CheckinBody = Type.Object(
  {
    /** Any string: a garbled scan is an `invalid` answer, not a request error. */
    token: Type.String({ maxLength: 4096 }),
    deviceId: Type.Optional(DeviceId),
    /** When the ticket was scanned; default: when the server received it. */
    checkedInAt: Type.Optional(UtcTime),
    /** Makes a retry of this scan safe; without one, a retry is `already-checked-in`. */
    idempotencyKey: Type.Optional(IdempotencyKey),
    /** The event this gate admits: a ticket of another event is refused (`WRONG_EVENT`). Absent: any event. */
    eventId: Type.Optional(EventIdPattern),
  },
  { additionalProperties: false },
)

export const CheckinInvalidReason = Type.Union([
  // The token itself (as in POST /api/tokens/verify).
  Type.Literal('BAD_ENCODING'),
  Type.Literal('UNKNOWN_VERSION'),
  Type.Literal('BAD_SIGNATURE'),
  Type.Literal('WRONG_BATCH'),
  Type.Literal('UNKNOWN_BATCH'),
  Type.Literal('NOT_ISSUED'),
  // The ticket is genuine but may not enter.
  Type.Literal('REVOKED'),
  Type.Literal('BATCH_CANCELLED'),
  Type.Literal('BATCH_NOT_COMPLETED'),
  // A good ticket, for another event than the one this gate admits ("Wrong event: <name>").
  Type.Literal('WRONG_EVENT'),
])

const Invalid = Type.Object({
  result: Type.Literal('invalid'),
  reason: CheckinInvalidReason,
  message: Type.String(),
  /** Present once the signature is known to be good. */
  ticket: Type.Optional(TicketRef),
})

export const CheckinResult = Type.Union([
  Type.Object({ result: Type.Literal('valid'), checkedInAt: UtcTime, ticket: TicketRef }),
  Type.Object({
    result: Type.Literal('already-checked-in'),
    checkedInAt: Type.String({ description: 'when the ticket was first checked in' }),
    deviceId: Type.Union([Type.String(), Type.Null()], { description: 'the device of the first check-in, if it said' }),
    ticket: TicketRef,
  }),
  Invalid,
])

export const CheckinSyncItem = Type.Object(
  {
    token: Type.String({ maxLength: MAX_TOKEN_LENGTH }),
    checkedInAt: UtcTime,
    /** The scan's key, as sent online if it was; a re-sent sync with it is `accepted` again. */
    idempotencyKey: Type.Optional(IdempotencyKey),
  },
  { additionalProperties: false },
)

export const CheckinSyncBody = Type.Object(
  {
    deviceId: DeviceId,
    /** The event the device admitted (its kit's); a ticket of another is refused (`WRONG_EVENT`). Absent: any event. */
    eventId: Type.Optional(EventIdPattern),
    checkins: Type.Array(CheckinSyncItem, { minItems: 1, maxItems: MAX_SYNC_CHECKINS }),
  },
  { additionalProperties: false },
)

export const CheckinSyncItemResult = Type.Union([
  /** Recorded now, or this very scan (same idempotency key, same account) was recorded before. */
  Type.Object({ result: Type.Literal('accepted'), checkedInAt: Type.String(), ticket: TicketRef }),
  /** Another scan (another device, or this device at another time, or one sent without its key) checked the ticket in first. */
  Type.Object({
    result: Type.Literal('conflict'),
    checkedInAt: Type.String({ description: "this device's check-in, as sent" }),
    firstCheckedInAt: Type.String(),
    firstDeviceId: Type.Union([Type.String(), Type.Null()]),
    ticket: TicketRef,
  }),
  Invalid,
])

/** `results[i]` answers `checkins[i]`. */
export const CheckinSyncResult = Type.Object({
  serverTime: Type.String(),
  results: Type.Array(CheckinSyncItemResult),
})

/** The kit is per event: every completed batch of it. */
export const CheckinKitQuery = Type.Object({ eventId: EventIdPattern }, { additionalProperties: false })

/** What a scanner needs to check a batch's tickets offline. */
export const CheckinKitBatch = Type.Object({
  ...BatchIdentity.properties,
  /** The whole batch was revoked: refuse every ticket of it. */
  revoked: Type.Boolean(),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
  /** Revoked single tickets, as sorted inclusive serial ranges. */
  revokedSerials: Type.Array(IndexRange),
})

/**
 * A completed batch a scanner may prepare for offline check-in, whoever created it: what check-in
 * needs to name it, and no price, quantity or creator (a gate account sees no totals).
 */
export const CheckinBatch = Type.Object({
  id: BatchIdentity.properties.id,
  eventId: Type.String(),
  event: Type.String(),
  ticketType: Type.String(),
  finishedAt: Type.Union([Type.String(), Type.Null()], { description: 'when it was completed' }),
})

/** An event a gate may admit, as GET /api/checkin-kit/events lists it: no prices, capacity or counts. */
export const CheckinEvent = Type.Object({
  id: Type.String(),
  name: Type.String(),
  startsAt: Type.Union([Type.String(), Type.Null()]),
  timeZone: Type.String(),
  venue: Type.String(),
})
export const CheckinEventList = Type.Object({ events: Type.Array(CheckinEvent) })

export const CheckinBatchList = Type.Object({ batches: Type.Array(CheckinBatch) })

/** Batches GET /api/checkin-kit/batches lists when no `limit` is given. */
export const CHECKIN_BATCH_LIST_DEFAULT = 200

export const CheckinBatchListQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: CHECKIN_BATCH_LIST_DEFAULT })) },
  { additionalProperties: false },
)

export const CheckinKit = Type.Object({
  serverTime: Type.String(),
  event: Type.Object({ id: EventIdPattern, name: Type.String() }),
  /** The event's completed batches. */
  batches: Type.Array(CheckinKitBatch),
  /** Ids of those batches that are revoked whole. */
  revokedBatches: Type.Array(BatchId),
  /**
   * The newest completed batches of other events (at most MAX_KIT_OTHER_BATCHES), id and event
   * name only: offline, a ticket of one of them is refused as `Wrong event: <name>`.
   */
  otherBatches: Type.Array(Type.Object({ id: BatchId, event: Type.String() })),
})

export const TicketParams = Type.Object({
  id: BatchId,
  serial: Type.Integer({ minimum: 0, maximum: MAX_QUANTITY - 1 }),
})

/** Send `{}` for no reason. */
export const RevokeBody = Type.Object(
  { reason: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) },
  { additionalProperties: false },
)

export const Revocation = Type.Object({
  batchId: BatchId,
  /** Null when the whole batch is revoked. */
  serial: Type.Union([Type.Integer(), Type.Null()]),
  revokedAt: Type.String(),
  reason: Type.Union([Type.String(), Type.Null()]),
  revokedBy: Type.Union([Type.String(), Type.Null()], { description: 'username' }),
})

export type CheckinBody = Type.Static<typeof CheckinBody>
export type CheckinInvalidReason = Type.Static<typeof CheckinInvalidReason>
export type CheckinResult = Type.Static<typeof CheckinResult>
export type CheckinSyncItem = Type.Static<typeof CheckinSyncItem>
export type CheckinSyncBody = Type.Static<typeof CheckinSyncBody>
export type CheckinSyncItemResult = Type.Static<typeof CheckinSyncItemResult>
export type CheckinSyncResult = Type.Static<typeof CheckinSyncResult>
export type CheckinKitBatch = Type.Static<typeof CheckinKitBatch>
export type CheckinKit = Type.Static<typeof CheckinKit>
export type CheckinBatch = Type.Static<typeof CheckinBatch>
export type CheckinBatchList = Type.Static<typeof CheckinBatchList>
export type CheckinEvent = Type.Static<typeof CheckinEvent>
export type CheckinEventList = Type.Static<typeof CheckinEventList>
export type RevokeBody = Type.Static<typeof RevokeBody>
export type Revocation = Type.Static<typeof Revocation>
