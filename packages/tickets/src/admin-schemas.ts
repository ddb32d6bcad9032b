// What the Admin page reads and sends besides accounts: gate devices, the check-ins a revoked
// device sent, the audit log, and ticket lookup (which staff use too).
import Type from 'typebox'
import { BATCH_ID_PATTERN, BatchId, Price } from './schemas.ts'

const DeviceId = Type.String({ pattern: `^${BATCH_ID_PATTERN}$`, description: 'a device id (GET /api/devices)' })
const Time = Type.String({ description: 'ISO 8601' })
const OptionalTime = Type.Union([Time, Type.Null()])

export const DeviceView = Type.Object({
  id: DeviceId,
  name: Type.String(),
  createdAt: Time,
  createdBy: Type.Union([Type.String(), Type.Null()]),
  revokedAt: OptionalTime,
  revokedBy: Type.Union([Type.String(), Type.Null()]),
  /** The server's clock at its last check-in sync. */
  lastSyncAt: OptionalTime,
  /** Check-ins it sent after it was revoked, kept for review. */
  refusedCheckins: Type.Integer(),
})
export const DeviceList = Type.Object({ devices: Type.Array(DeviceView) })
export const DeviceParams = Type.Object({ id: DeviceId })

/** POST /api/devices. The name is what the Admin page, the audit log and check-ins show. */
export const NewDeviceBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false })

/** The key is shown this once; the server keeps only its hash. The device opens `/#device=<key>`. */
export const NewDevice = Type.Object({ device: DeviceView, key: Type.String() })

/** A check-in a revoked device sent: not admitted, listed for an admin to review. */
export const RefusedCheckinView = Type.Object({
  deviceName: Type.String(),
  /** Read from the token; null when the token cannot be read as a ticket. */
  ticketNumber: Type.Union([Type.String(), Type.Null()]),
  event: Type.Union([Type.String(), Type.Null()]),
  checkedInAt: Type.String({ description: "the device's clock" }),
  receivedAt: Time,
})
export const RefusedCheckinList = Type.Object({ checkins: Type.Array(RefusedCheckinView) })

export const AuditQuery = Type.Object(
  {
    actor: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    /** An action (`batch.completed`) or every action of a kind (`batch.`). */
    action: Type.Optional(Type.String({ pattern: '^[a-z_]+\\.([a-z_]+)?$', maxLength: 64 })),
    from: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601' })),
    to: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601' })),
    /** The next page: entries before this seq. */
    before: Type.Optional(Type.Integer({ minimum: 1 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  },
  { additionalProperties: false },
)
export const AUDIT_PAGE_DEFAULT = 100

export const AuditEntryView = Type.Object({
  seq: Type.Integer(),
  at: Time,
  actor: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  device: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  subject: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Record(Type.String(), Type.Unknown()),
})
export const AuditList = Type.Object({
  entries: Type.Array(AuditEntryView),
  /** Pass as `before` for older entries; null at the oldest. */
  nextBefore: Type.Union([Type.Integer(), Type.Null()]),
})

/** A token (pasted, typed or scanned) or a ticket number such as `3F1C2A4E-0000042`. */
export const TicketLookupQuery = Type.Object({ q: Type.String({ minLength: 1, maxLength: 4096 }) }, { additionalProperties: false })

export const TicketLookup = Type.Object({
  ticketNumber: Type.String(),
  batchId: BatchId,
  serial: Type.Integer(),
  event: Type.String(),
  ticketType: Type.String(),
  price: Price,
  batchState: Type.String(),
  state: Type.Union([Type.Literal('issued'), Type.Literal('checked-in'), Type.Literal('revoked'), Type.Literal('not-issued')]),
  checkin: Type.Union([
    Type.Object({
      checkedInAt: Time,
      device: Type.Union([Type.String(), Type.Null()]),
      recordedBy: Type.Union([Type.String(), Type.Null()]),
    }),
    Type.Null(),
  ]),
  revocation: Type.Union([
    Type.Object({
      revokedAt: Time,
      revokedBy: Type.Union([Type.String(), Type.Null()]),
      reason: Type.Union([Type.String(), Type.Null()]),
      wholeBatch: Type.Boolean(),
    }),
    Type.Null(),
  ]),
})

export type DeviceView = Type.Static<typeof DeviceView>
export type DeviceList = Type.Static<typeof DeviceList>
export type NewDeviceBody = Type.Static<typeof NewDeviceBody>
export type NewDevice = Type.Static<typeof NewDevice>
export type RefusedCheckinView = Type.Static<typeof RefusedCheckinView>
export type RefusedCheckinList = Type.Static<typeof RefusedCheckinList>
export type AuditQuery = Type.Static<typeof AuditQuery>
export type AuditEntryView = Type.Static<typeof AuditEntryView>
export type AuditList = Type.Static<typeof AuditList>
export type TicketLookupQuery = Type.Static<typeof TicketLookupQuery>
export type TicketLookup = Type.Static<typeof TicketLookup>
