import { randomUUID } from 'node:crypto'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  decodeToken,
  DeviceList,
  DeviceParams,
  DeviceView,
  ErrorBody,
  formatTicketNumber,
  NewDevice,
  NewDeviceBody,
  RefusedCheckinList,
} from '@boxoffice/tickets'
import { recordAudit } from '../audit/audit-trail.ts'
import { accountIdOf } from '../auth/sessions.ts'
import { ADMIN_ONLY } from '../auth/route-roles.ts'
import type { DeviceRecord } from '../db/device-repository.ts'
import { hashDeviceKey, newDeviceKey } from '../devices/device-keys.ts'
import { DeviceConflict, DeviceNotFound, InvalidRequest } from '../errors.ts'
import { signedInAccount } from '../plugins/authentication.ts'

const REFUSED_LIST_LIMIT = 500

const toDeviceView = (device: DeviceRecord): DeviceView => ({ ...device, refusedCheckins: Number(device.refusedCheckins) })

/** Gate devices on the Admin page: admins only. A device itself authenticates with its key (authentication.ts). */
const devices: FastifyPluginAsyncTypebox = async (app) => {
  const config = { roles: ADMIN_ONLY }

  app.get('/devices', { config, schema: { response: { 200: DeviceList, '4xx': ErrorBody } } }, async () => ({
    devices: (await app.devices.listDevices()).map(toDeviceView),
  }))

  app.post(
    '/devices',
    { config, schema: { body: NewDeviceBody, response: { 201: NewDevice, '4xx': ErrorBody } } },
    async (request, reply) => {
      const name = request.body.name.trim().replace(/\s+/g, ' ')
      if (name === '') throw new InvalidRequest('body/name must name the device, e.g. "North gate 1"')
      const key = newDeviceKey()
      const admin = signedInAccount(request)
      const device = await app.devices.createDevice({
        id: randomUUID(),
        name,
        keyHash: hashDeviceKey(key),
        createdAt: new Date().toISOString(),
        createdBy: accountIdOf(admin),
      })
      if (!device) throw new DeviceConflict(`a device named ${JSON.stringify(name)} exists already; choose another name`)
      await recordAudit(request, 'device.registered', device.name, { id: device.id })
      return reply.code(201).send({ device: toDeviceView(device), key })
    },
  )

  app.post(
    '/devices/:id/revoke',
    { config, schema: { params: DeviceParams, response: { 200: DeviceView, '4xx': ErrorBody } } },
    async (request) => {
      const before = await app.devices.findDevice(request.params.id)
      if (!before) throw new DeviceNotFound(`no device ${request.params.id}`)
      const device = await app.devices.revokeDevice(before.id, new Date().toISOString(), accountIdOf(signedInAccount(request)))
      if (before.revokedAt === null) await recordAudit(request, 'device.revoked', before.name, { id: before.id })
      return toDeviceView(device ?? before)
    },
  )

  app.get('/devices/refused-checkins', { config, schema: { response: { 200: RefusedCheckinList, '4xx': ErrorBody } } }, async () => {
    const refused = await app.devices.listRefusedCheckins(REFUSED_LIST_LIMIT)
    const events = new Map<string, string | null>()
    const checkins = []
    for (const checkin of refused) {
      const decoded = decodeToken(checkin.token)
      const ticket = decoded.ok ? decoded.payload : undefined
      if (ticket && !events.has(ticket.batchId)) events.set(ticket.batchId, (await app.repository.getBatch(ticket.batchId))?.event ?? null)
      checkins.push({
        deviceName: checkin.deviceName,
        ticketNumber: ticket ? formatTicketNumber(ticket.batchId, ticket.serial) : null,
        event: ticket ? (events.get(ticket.batchId) ?? null) : null,
        checkedInAt: checkin.checkedInAt,
        receivedAt: checkin.receivedAt,
      })
    }
    return { checkins }
  })
}

export default devices
