// Wire contract between the browser and the API. The API validates requests and serializes
// responses with these schemas; the browser derives its types from them.
import Type from 'typebox'
import { CHUNK_SIZE, MAX_PRICE_MINOR, MAX_QUANTITY, MAX_TOKEN_LENGTH } from './limits.ts'

/**
 * The header, and its value, that a state-changing API request without an `Origin` must carry: the
 * API's CSRF check (api/src/plugins/csrf.ts; docs/api.md, "CSRF"). The browser app sends it on every call.
 */
export const CSRF_HEADER = 'x-boxoffice-request'
export const CSRF_HEADER_VALUE = '1'

/** A lower-case UUID, unanchored, for patterns that hold several (see CheckinKitQuery). */
export const BATCH_ID_PATTERN = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'

export const BatchId = Type.String({ pattern: `^${BATCH_ID_PATTERN}$`, description: 'client-chosen UUID, lower case' })

/** Base64url of the 32 raw bytes of the batch's Ed25519 public key. */
export const PublicKey = Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' })

/** A ticket token: base32 (RFC 4648, no padding). Sized for the longest ticket type with room to spare. */
export const Token = Type.String({ pattern: '^[A-Z2-7]+$', minLength: 1, maxLength: MAX_TOKEN_LENGTH })

export const Price = Type.Object(
  {
    amountMinor: Type.Integer({ minimum: 0, maximum: MAX_PRICE_MINOR, description: 'price in minor units, e.g. cents' }),
    currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' }),
  },
  { additionalProperties: false },
)

const Quantity = Type.Integer({ minimum: 1, maximum: MAX_QUANTITY })

/**
 * A batch is made for one ticket type of one event (event-schemas.ts), whose capacity it reserves.
 * The batch takes the type's name and price as they are now; its tokens are signed with that name,
 * so the client signs with the `ticketType` the creation answers.
 */
export const CreateBatchBody = Type.Object(
  {
    id: BatchId,
    ticketTypeId: Type.String({ pattern: `^${BATCH_ID_PATTERN}$`, description: 'the ticket type (GET /api/events)' }),
    quantity: Quantity,
    publicKey: PublicKey,
  },
  { additionalProperties: false },
)

export const BatchState = Type.Union([Type.Literal('open'), Type.Literal('completed'), Type.Literal('cancelled')])

/** Inclusive range of chunk indexes. */
export const IndexRange = Type.Tuple([Type.Integer({ minimum: 0 }), Type.Integer({ minimum: 0 })])

/** What a batch is: the fields every view of one (summary, status, check-in kit) starts with. */
export const BatchIdentity = Type.Object({
  id: BatchId,
  eventId: Type.String(),
  ticketTypeId: Type.String(),
  event: Type.String(),
  ticketType: Type.String(),
  price: Price,
  quantity: Type.Integer(),
  publicKey: PublicKey,
  state: BatchState,
})

export const BatchSummary = Type.Object({
  ...BatchIdentity.properties,
  chunkSize: Type.Integer(),
  chunkCount: Type.Integer(),
  chunksReceived: Type.Integer(),
  ticketsReceived: Type.Integer(),
  createdAt: Type.String({ description: 'ISO 8601' }),
  finishedAt: Type.Union([Type.String(), Type.Null()], { description: 'when completed or cancelled' }),
  // Optional only so that clients' test fakes need not invent it; this server always sends it.
  createdBy: Type.Optional(
    Type.Union([Type.String(), Type.Null()], { description: 'username of the creating account; null for batches from before accounts' }),
  ),
  /** When the whole batch was revoked (POST /api/batches/:id/revoke); optional like createdBy. */
  revokedAt: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'ISO 8601' })),
})

export const BatchStatus = Type.Object({
  ...BatchSummary.properties,
  committedChunks: Type.Array(IndexRange, { description: 'chunks the server holds, as sorted inclusive ranges' }),
})

export const BatchList = Type.Object({ batches: Type.Array(BatchSummary) })

export const BatchListQuery = Type.Object(
  {
    state: Type.Optional(BatchState),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  },
  { additionalProperties: false },
)

export const BatchParams = Type.Object({ id: BatchId })

const ChunkIndex = Type.Integer({ minimum: 0, maximum: Math.ceil(MAX_QUANTITY / CHUNK_SIZE) - 1 })

export const ChunkParams = Type.Object({ id: BatchId, index: ChunkIndex })

/** A run of consecutive chunks, `first … last` inclusive, uploaded in one request (signatures only). */
export const ChunkRunParams = Type.Object({ id: BatchId, first: ChunkIndex, last: ChunkIndex })

export const Ticket = Type.Object(
  {
    serial: Type.Integer({ minimum: 0, maximum: MAX_QUANTITY - 1 }),
    token: Token,
  },
  { additionalProperties: false },
)

/**
 * The compact chunk body, the one the browser sends: the chunk's Ed25519 signatures, 64 bytes per
 * ticket in serial order, nothing else. The server rebuilds each token from its own record of the
 * batch (id, ticket type) and the serial the chunk index implies, then checks it like any other.
 */
export const SIGNATURE_CHUNK_MEDIA_TYPE = 'application/vnd.boxoffice.signatures'

export const ChunkBody = Type.Object(
  { tickets: Type.Array(Ticket, { minItems: 1, maxItems: CHUNK_SIZE }) },
  { additionalProperties: false },
)

export const ChunkAck = Type.Object({
  batchId: BatchId,
  index: Type.Integer(),
  digest: Type.String({ description: 'hex SHA-256 of the chunk' }),
  duplicate: Type.Boolean({ description: 'true when the server already held this exact chunk' }),
  chunksReceived: Type.Integer(),
  ticketsReceived: Type.Integer(),
})

export const VerifyTokenBody = Type.Object(
  {
    token: Type.String({ maxLength: 4096 }),
    batchId: Type.Optional(BatchId),
  },
  { additionalProperties: false },
)

export const TokenInvalidReason = Type.Union([
  Type.Literal('BAD_ENCODING'),
  Type.Literal('UNKNOWN_VERSION'),
  Type.Literal('BAD_SIGNATURE'),
  Type.Literal('WRONG_BATCH'),
  Type.Literal('UNKNOWN_BATCH'),
  Type.Literal('NOT_ISSUED'),
])

export const TicketRef = Type.Object({
  batchId: BatchId,
  serial: Type.Integer(),
  ticketType: Type.String(),
  event: Type.Optional(Type.String()),
  price: Type.Optional(Price),
})

export const VerifyTokenResult = Type.Union([
  Type.Object({ valid: Type.Literal(true), ticket: TicketRef }),
  Type.Object({
    valid: Type.Literal(false),
    reason: TokenInvalidReason,
    message: Type.String(),
    ticket: Type.Optional(TicketRef),
  }),
])

export const ErrorBody = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    details: Type.Optional(Type.Unknown()),
  }),
})

/**
 * One chunk's answer within a run: exactly what a single-chunk PUT of it would have answered, its
 * status and its body (the ack, or the error), and the Retry-After a 503 would have carried.
 */
export const ChunkRunResult = Type.Object({
  index: Type.Integer(),
  status: Type.Integer(),
  ack: Type.Optional(ChunkAck),
  error: Type.Optional(ErrorBody.properties.error),
  retryAfterSeconds: Type.Optional(Type.Integer()),
})

/** The answer to a run: one result per chunk, in index order. */
export const ChunkRunAck = Type.Object({ results: Type.Array(ChunkRunResult) })

export const Health = Type.Object({ status: Type.Literal('ok'), database: Type.Literal('ok') })

/** admin: everything; staff: their own batches, exports and check-in; gate: check-in only. */
export const AccountRole = Type.Union([Type.Literal('admin'), Type.Literal('staff'), Type.Literal('gate')])

/** Sign-in form. Any string is accepted: an unknown username is answered like a wrong password. */
export const SignInBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
)

/** The signed-in account. `mustChangePassword`: it signed in with a temporary password and may only change it. */
export const SessionInfo = Type.Object({
  username: Type.String(),
  role: AccountRole,
  mustChangePassword: Type.Boolean(),
  /** Set when a registered gate device (not a person) is signed in: its name. */
  device: Type.Optional(Type.String()),
})

// The rules for names and passwords (api/src/auth/accounts.ts) are checked by the server, which names the one broken.
const Username = Type.String({ minLength: 1, maxLength: 64 })
const NewPassword = Type.String({ minLength: 1, maxLength: 1024 })

/** An account as the Admin page lists it; never its password hash. */
export const AccountView = Type.Object({
  username: Type.String(),
  role: AccountRole,
  disabled: Type.Boolean(),
  mustChangePassword: Type.Boolean(),
  createdAt: Type.String({ description: 'ISO 8601' }),
})
export const AccountList = Type.Object({ accounts: Type.Array(AccountView) })
export const AccountParams = Type.Object({ username: Username })

/** POST /api/accounts: a new account with a temporary password, to be changed at its first sign-in. */
export const NewAccountBody = Type.Object(
  { username: Username, role: AccountRole, temporaryPassword: NewPassword },
  { additionalProperties: false },
)

/** PATCH /api/accounts/:username: another role, or disabled (its sessions end at once) or enabled. */
export const AccountChangeBody = Type.Object(
  { role: Type.Optional(AccountRole), disabled: Type.Optional(Type.Boolean()) },
  { additionalProperties: false, minProperties: 1 },
)

/** PUT /api/accounts/:username/password: a temporary password; every session of the account ends. */
export const TemporaryPasswordBody = Type.Object({ temporaryPassword: NewPassword }, { additionalProperties: false })

/** PUT /api/session/password: the signed-in account changes its own password. */
export const OwnPasswordBody = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: 1024 }), newPassword: NewPassword },
  { additionalProperties: false },
)

export type CreateBatchBody = Type.Static<typeof CreateBatchBody>
export type BatchState = Type.Static<typeof BatchState>
export type BatchIdentity = Type.Static<typeof BatchIdentity>
export type BatchSummary = Type.Static<typeof BatchSummary>
export type BatchStatus = Type.Static<typeof BatchStatus>
export type BatchList = Type.Static<typeof BatchList>
export type Price = Type.Static<typeof Price>
export type Ticket = Type.Static<typeof Ticket>
export type ChunkBody = Type.Static<typeof ChunkBody>
export type ChunkAck = Type.Static<typeof ChunkAck>
export type ChunkRunResult = Type.Static<typeof ChunkRunResult>
export type ChunkRunAck = Type.Static<typeof ChunkRunAck>
export type VerifyTokenBody = Type.Static<typeof VerifyTokenBody>
export type VerifyTokenResult = Type.Static<typeof VerifyTokenResult>
export type TokenInvalidReason = Type.Static<typeof TokenInvalidReason>
export type ErrorBody = Type.Static<typeof ErrorBody>
export type AccountRole = Type.Static<typeof AccountRole>
export type SignInBody = Type.Static<typeof SignInBody>
export type SessionInfo = Type.Static<typeof SessionInfo>
export type AccountView = Type.Static<typeof AccountView>
export type AccountList = Type.Static<typeof AccountList>
export type NewAccountBody = Type.Static<typeof NewAccountBody>
export type AccountChangeBody = Type.Static<typeof AccountChangeBody>
export type TemporaryPasswordBody = Type.Static<typeof TemporaryPasswordBody>
export type OwnPasswordBody = Type.Static<typeof OwnPasswordBody>
