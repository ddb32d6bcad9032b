// A revoked gate device that syncs: its check-ins are not admitted (the device may be lost or
// stolen, and nobody can vouch for what it scanned), but kept for an admin to review.
import type { FastifyRequest } from 'fastify'
import { recordAudit } from '../audit/audit-trail.ts'
import type { SignedInAccount } from '../auth/sessions.ts'
import { DeviceRevoked, withDetails } from '../errors.ts'

export async function refuseRevokedDeviceSync(
  request: FastifyRequest,
  device: NonNullable<SignedInAccount['device']>,
  checkins: readonly { token: string; checkedInAt: string }[],
): Promise<never> {
  const receivedAt = new Date().toISOString()
  const kept = await request.server.devices.recordRefusedCheckins(
    checkins.map((checkin) => ({ deviceId: device.id, token: checkin.token, checkedInAt: checkin.checkedInAt, receivedAt })),
  )
  // A revoked device retries its sync for as long as it runs: only what is new for review is recorded.
  if (kept > 0) await recordAudit(request, 'device.sync_refused', device.name, { sent: checkins.length, newForReview: kept })
  const count = `${checkins.length} check-in${checkins.length === 1 ? '' : 's'}`
  throw withDetails(
    new DeviceRevoked(
      `the gate device ${JSON.stringify(device.name)} was revoked at ${device.revokedAt}: ${count} not accepted, kept for an admin to review`,
    ),
    { refused: checkins.length },
  )
}
