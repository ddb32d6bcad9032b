import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { EVERY_ROLE } from '../auth/route-roles.ts'
import {
  CHECKIN_BATCH_LIST_DEFAULT,
  CheckinBatchList,
  CheckinBatchListQuery,
  CheckinBody,
  CheckinEventList,
  CheckinKit,
  CheckinKitQuery,
  CheckinResult,
  CheckinSyncBody,
  CheckinSyncResult,
  ErrorBody,
  MAX_SYNC_CHECKINS,
  MAX_TOKEN_LENGTH,
} from '@boxoffice/tickets'
import { checkinBatches, checkinEvents, checkinKit } from '../checkin/checkin-kit.ts'
import { toCheckinResult, toSyncResult } from '../checkin/checkin-results.ts'
import { admitTickets, normalizeTime, type CheckinAttempt } from '../checkin/ticket-admission.ts'
import { signedInAccount } from '../plugins/authentication.ts'
import { recordAudit } from '../audit/audit-trail.ts'
import { refuseRevokedDeviceSync } from '../devices/revoked-device-sync.ts'

/** A token of up to 4,096 characters, a device id, a time and a key, with room to spare. */
const CHECKIN_BODY_LIMIT = 8 * 1024
/**
 * The largest sync body the schema admits: per check-in a token and 138 bytes of JSON around it
 * (`{"token":"…","checkedInAt":"<24>","idempotencyKey":"<64>"},`), rounded up to 160.
 */
const SYNC_BODY_LIMIT = MAX_SYNC_CHECKINS * (MAX_TOKEN_LENGTH + 160) + 1024

/**
 * Check-in at the gate. Every role may check in any ticket: gate staff scan tickets of batches
 * they did not create. An invalid ticket is an answer (200), not a request error.
 */
const checkins: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ repository: app.repository, checkins: app.checkins, events: app.events, verifier: app.chunkVerifier })

  app.post(
    '/checkins',
    {
      config: { roles: EVERY_ROLE },
      bodyLimit: CHECKIN_BODY_LIMIT,
      schema: { body: CheckinBody, response: { 200: CheckinResult, '4xx': ErrorBody } },
    },
    async (request) => {
      const { token, deviceId, checkedInAt, idempotencyKey, eventId } = request.body
      const account = signedInAccount(request)
      const attempt: CheckinAttempt = {
        token,
        // A registered gate device is named by the server, whatever it says.
        deviceId: account.device?.name ?? deviceId ?? null,
        checkedInAt: checkedInAt === undefined ? new Date().toISOString() : normalizeTime(checkedInAt, 'body/checkedInAt'),
        idempotencyKey: idempotencyKey ?? null,
        eventId: eventId ?? null,
      }
      const [admission] = await admitTickets(deps(), [attempt], account)
      return toCheckinResult(admission!)
    },
  )

  app.post(
    '/checkins/sync',
    {
      config: { roles: EVERY_ROLE, acceptsRevokedDevice: true },
      bodyLimit: SYNC_BODY_LIMIT,
      schema: { body: CheckinSyncBody, response: { 200: CheckinSyncResult, '4xx': ErrorBody } },
    },
    async (request) => {
      const { deviceId, eventId, checkins: items } = request.body
      const account = signedInAccount(request)
      if (account.device?.revokedAt) await refuseRevokedDeviceSync(request, account.device, items)
      const attempts = items.map((item, index): CheckinAttempt => ({
        token: item.token,
        deviceId: account.device?.name ?? deviceId,
        checkedInAt: normalizeTime(item.checkedInAt, `body/checkins/${index}/checkedInAt`),
        idempotencyKey: item.idempotencyKey ?? null,
        eventId: eventId ?? null,
      }))
      const admissions = await admitTickets(deps(), attempts, account)
      const serverTime = new Date().toISOString()
      const results = admissions.map((admission, index) => toSyncResult(admission, attempts[index]!))
      if (account.device) await app.devices.recordSync(account.device.id, serverTime)
      const counts = { sent: results.length, accepted: 0, conflict: 0, invalid: 0 }
      for (const { result } of results) counts[result === 'accepted' ? 'accepted' : result === 'conflict' ? 'conflict' : 'invalid'] += 1
      // An empty sync changed nothing: no entry.
      if (results.length > 0) await recordAudit(request, 'checkin.synced', eventId ?? null, { deviceId: attempts[0]!.deviceId, ...counts })
      return { serverTime, results }
    },
  )

  app.get(
    '/checkin-kit/batches',
    {
      config: { roles: EVERY_ROLE },
      schema: { querystring: CheckinBatchListQuery, response: { 200: CheckinBatchList, '4xx': ErrorBody } },
    },
    async (request) => ({ batches: await checkinBatches(deps(), request.query.limit ?? CHECKIN_BATCH_LIST_DEFAULT) }),
  )

  app.get(
    '/checkin-kit/events',
    { config: { roles: EVERY_ROLE }, schema: { response: { 200: CheckinEventList, '4xx': ErrorBody } } },
    async () => ({ events: await checkinEvents(deps()) }),
  )

  app.get(
    '/checkin-kit',
    { config: { roles: EVERY_ROLE }, schema: { querystring: CheckinKitQuery, response: { 200: CheckinKit, '4xx': ErrorBody } } },
    async (request) => checkinKit(deps(), request.query.eventId),
  )
}

export default checkins
