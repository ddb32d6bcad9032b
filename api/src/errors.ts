// Every error the API answers with has a stable code and an HTTP status; the body is always
// {"error":{"code","message","details"?}}. A client branches on the code, a person reads the message.
import createError, { type FastifyError } from '@fastify/error'
import type { FastifyReply, FastifyRequest, FastifySchemaValidationError } from 'fastify'
import { StorageUnavailableError, type StorageFault } from './db/storage-unavailable.ts'

// The messages are composed where the error is raised, so each constructor takes it whole.
export const BatchNotFound = createError('BATCH_NOT_FOUND', 'batch %s not found', 404)
export const BatchForbidden = createError('BATCH_FORBIDDEN', '%s', 403)
export const BatchConflict = createError('BATCH_CONFLICT', '%s', 409)
export const BatchNotOpen = createError('BATCH_NOT_OPEN', '%s', 409)
export const BatchIncomplete = createError('BATCH_INCOMPLETE', '%s', 409)
export const InvalidPublicKey = createError('INVALID_PUBLIC_KEY', '%s', 400)
// Events and capacity.
export const EventNotFound = createError('EVENT_NOT_FOUND', '%s', 404)
export const EventConflict = createError('EVENT_CONFLICT', '%s', 409)
export const TicketTypeNotFound = createError('TICKET_TYPE_NOT_FOUND', '%s', 404)
export const TicketTypeConflict = createError('TICKET_TYPE_CONFLICT', '%s', 409)
export const CapacityExceeded = createError('CAPACITY_EXCEEDED', '%s', 409)
export const CapacityBelowIssued = createError('CAPACITY_BELOW_ISSUED', '%s', 409)
export const ChunkConflict = createError('CHUNK_CONFLICT', '%s', 409)
export const ChunkIndexOutOfRange = createError('CHUNK_INDEX_OUT_OF_RANGE', '%s', 422)
export const ChunkSerialMismatch = createError('CHUNK_SERIAL_MISMATCH', '%s', 422)
export const TokenInvalid = createError('TOKEN_INVALID', '%s', 422)
// Exports, check-in and revocation.
export const BatchNotCompleted = createError('BATCH_NOT_COMPLETED', '%s', 409)
export const ExportRangeInvalid = createError('EXPORT_RANGE_INVALID', '%s', 422)
export const ExportRangeTooLarge = createError('EXPORT_RANGE_TOO_LARGE', '%s', 422)
export const TicketNotFound = createError('TICKET_NOT_FOUND', '%s', 404)
export const InvalidRequest = createError('INVALID_REQUEST', '%s', 400)
// Authentication. A browser worker pauses its uploads on 401, so 401 means exactly "no valid session".
export const AuthRequired = createError('AUTH_REQUIRED', '%s', 401)
export const SessionExpired = createError('SESSION_EXPIRED', '%s', 401)
export const InvalidCredentials = createError('INVALID_CREDENTIALS', '%s', 401)
export const CsrfRejected = createError('CSRF_REJECTED', '%s', 403)
/** The account's role does not allow the route (see auth/route-roles.ts). */
export const RoleForbidden = createError('ROLE_FORBIDDEN', '%s', 403)
/** Signed in with a temporary password: nothing but changing it (PUT /api/session/password) until then. */
export const PasswordChangeRequired = createError('PASSWORD_CHANGE_REQUIRED', '%s', 403)
/** The current password given to change it is wrong: 403, not 401, since the session itself is fine. */
export const WrongPassword = createError('WRONG_PASSWORD', '%s', 403)
/** The change would leave no enabled admin account. */
export const LastAdmin = createError('LAST_ADMIN', '%s', 409)
export const AccountNotFound = createError('ACCOUNT_NOT_FOUND', '%s', 404)
export const AccountConflict = createError('ACCOUNT_CONFLICT', '%s', 409)
/** The request carries a gate device's key that no device has (never issued, or mistyped). */
export const DeviceUnknown = createError('DEVICE_UNKNOWN', '%s', 401)
/** The gate device was revoked: nothing it sends is accepted (a sync is kept for review). */
export const DeviceRevoked = createError('DEVICE_REVOKED', '%s', 403)
export const DeviceNotFound = createError('DEVICE_NOT_FOUND', '%s', 404)
export const DeviceConflict = createError('DEVICE_CONFLICT', '%s', 409)
/** BOXOFFICE_PUBLIC_ORIGIN is set and the request's Host (or trusted X-Forwarded-Host) names another origin. */
export const WrongHost = createError('WRONG_HOST', '%s', 421)
export const RateLimited = createError('RATE_LIMITED', '%s', 429)
/** Too many exports running for this account or in all; the route sets Retry-After. */
export const ExportsBusy = createError('EXPORTS_BUSY', '%s', 429)
/** Every password-check place is taken and the line for them is full (a sign-in flood). */
export const SignInBusy = createError('SIGN_IN_BUSY', '%s', 503)
/** Long enough for a few password checks (about 0.3 s each) to make room in the line. */
export const SIGN_IN_BUSY_RETRY_SECONDS = 2

/** An error plus machine-readable details for the response body. */
export function withDetails<E extends FastifyError>(error: E, details: unknown): E & { details: unknown } {
  return Object.assign(error, { details })
}

export interface ErrorResponse {
  status: number
  code: string
  message: string
  details?: unknown
  /** Sent as Retry-After: the server expects to serve this request again after so many seconds. */
  retryAfterSeconds?: number
}

/**
 * 503 answers: the request was fine, nothing of it was stored, and the same request is worth
 * sending again. The message names the fault in an operator's words, never a path or SQL.
 */
const STORAGE_UNAVAILABLE: Readonly<Record<StorageFault, { message: string; retryAfterSeconds: number }>> = {
  full: { message: "the server's disk or database is full; nothing was stored", retryAfterSeconds: 30 },
  'read-only': { message: "the server's database cannot be written (read-only); nothing was stored", retryAfterSeconds: 30 },
  io: { message: 'the server could not read or write its database (I/O error); nothing was stored', retryAfterSeconds: 5 },
  busy: { message: "the server's database is busy; nothing was stored", retryAfterSeconds: 1 },
  'cannot-open': { message: 'the server cannot open its database; nothing was stored', retryAfterSeconds: 30 },
  corrupt: { message: "the server's database file is damaged; nothing was stored", retryAfterSeconds: 30 },
  unreachable: { message: 'the server cannot reach its database right now; nothing was stored', retryAfterSeconds: 2 },
  timeout: { message: "the server's database did not answer in time; nothing was stored", retryAfterSeconds: 2 },
  conflict: { message: 'the request collided with another one in the database; nothing was stored', retryAfterSeconds: 1 },
}

function fromUnavailableService(error: FastifyError): ErrorResponse | undefined {
  if (error instanceof StorageUnavailableError) {
    return { status: 503, code: 'STORAGE_UNAVAILABLE', ...STORAGE_UNAVAILABLE[error.fault] }
  }
  // Raised by the worker pool when a worker died holding the chunk or none is running.
  if (error.code === 'VERIFICATION_UNAVAILABLE') {
    return {
      status: 503,
      code: 'VERIFICATION_UNAVAILABLE',
      message: 'ticket signatures cannot be checked right now; nothing was stored',
      retryAfterSeconds: 1,
    }
  }
  // Raised by the PDF pool when its worker died before the first byte, or the server is closing.
  if (error.code === 'EXPORT_UNAVAILABLE') {
    return { status: 503, code: 'EXPORT_UNAVAILABLE', message: error.message, retryAfterSeconds: 1 }
  }
  if (error.code === 'SIGN_IN_BUSY') {
    return { status: 503, code: 'SIGN_IN_BUSY', message: error.message, retryAfterSeconds: SIGN_IN_BUSY_RETRY_SECONDS }
  }
  return undefined
}

const MAX_VALIDATION_DETAILS = 10

/** Fastify's own request errors, renamed into this API's vocabulary. */
function fromFastifyError(error: FastifyError, request: FastifyRequest): ErrorResponse | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        status: 413,
        code: 'BODY_TOO_LARGE',
        message: `request body is larger than this route accepts (${request.routeOptions.bodyLimit} bytes)`,
      }
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, code: 'MALFORMED_JSON', message: 'request body is not valid JSON' }
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, code: 'MALFORMED_JSON', message: 'request body is empty but content-type is application/json' }
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': {
      const accepted = (request.routeOptions.config as { mediaTypes?: string[] }).mediaTypes ?? ['application/json']
      return {
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: `content-type ${JSON.stringify(request.headers['content-type'] ?? '')} is not supported; send ${accepted.join(' or ')}`,
      }
    }
  }
  return undefined
}

export function describeValidationError(error: FastifySchemaValidationError, context: string): string {
  const path = `${context}${error.instancePath}`
  // TypeBox reports a property that additionalProperties:false forbids as a false sub-schema.
  if (error.keyword === 'boolean') return `${path} is not allowed`
  return `${path} ${error.message ?? 'is invalid'}`
}

/** What an error is answered with: its status, stable code, message and details, and any Retry-After. */
export function toErrorResponse(error: FastifyError & { details?: unknown }, request: FastifyRequest): ErrorResponse {
  const unavailable = fromUnavailableService(error)
  if (unavailable) return unavailable
  if (error.validation) {
    const context = error.validationContext ?? 'request'
    const problems = error.validation.map((problem) => describeValidationError(problem, context))
    return {
      status: 400,
      code: 'INVALID_REQUEST',
      message: problems[0] ?? error.message,
      details: { errors: problems.slice(0, MAX_VALIDATION_DETAILS) },
    }
  }
  const status = error.statusCode ?? 500
  if (status < 400 || status >= 500) {
    return { status: 500, code: 'INTERNAL_ERROR', message: 'internal server error' }
  }
  const renamed = fromFastifyError(error, request)
  if (renamed) return renamed
  if (error.code && !error.code.startsWith('FST_')) {
    return { status, code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) }
  }
  // Any other client error Fastify raises (bad content-length, bad URL encoding, …).
  return { status, code: 'INVALID_REQUEST', message: error.message }
}

export function handleError(error: FastifyError & { details?: unknown }, request: FastifyRequest, reply: FastifyReply) {
  const response = toErrorResponse(error, request)
  // A refused sign-in in a flood is no fault of the server's; the route warns about floods itself.
  if (response.status >= 500 && response.code !== 'SIGN_IN_BUSY') {
    // The client gets a generic body (or, for a 503, the kind of fault); the log keeps what happened.
    request.log.error({ err: error, method: request.method, url: request.url }, 'request failed')
  }
  const { status, retryAfterSeconds, ...body } = response
  if (retryAfterSeconds !== undefined) reply.header('retry-after', retryAfterSeconds)
  // A download that failed before its first byte had set its own type and file name already: the
  // error is JSON, and no browser may save it as the file.
  reply.removeHeader('content-disposition')
  return reply.code(status).type('application/json; charset=utf-8').send({ error: body })
}

export function sendRouteNotFound(request: FastifyRequest, reply: FastifyReply) {
  return reply.code(404).send({
    error: { code: 'ROUTE_NOT_FOUND', message: `no route for ${request.method} ${request.url.split('?')[0]!.slice(0, 200)}` },
  })
}
