import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { STAFF_ROLES } from '../auth/route-roles.ts'
import {
  CreateEventBody,
  DoorDashboard,
  ErrorBody,
  EventList,
  EventParams,
  EventView,
  TicketTypeBody,
  TicketTypeParams,
  TicketTypeView,
  UpdateEventBody,
} from '@boxoffice/tickets'
import { createEvent, getEvent, putTicketType, updateEvent } from '../events/event-lifecycle.ts'
import { EVENT_LIST_LIMIT, toDoorDashboard, toEventView } from '../events/event-view.ts'
import { signedInAccount } from '../plugins/authentication.ts'
import { recordAudit } from '../audit/audit-trail.ts'

/** More events than any box office runs at once; the list is newest-start-last within it. */

/** Events, their ticket types and the door dashboard: box-office staff and admins read and edit them; gate accounts choose an event through GET /api/checkin-kit/events. */
const events: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/events',
    { config: { roles: STAFF_ROLES }, schema: { body: CreateEventBody, response: { 200: EventView, 201: EventView, '4xx': ErrorBody } } },
    async (request, reply) => {
      const { created, event } = await createEvent(app.events, request.body, signedInAccount(request))
      if (created) await recordAudit(request, 'event.created', event.id, { name: event.name })
      return reply.code(created ? 201 : 200).send(event)
    },
  )

  app.get('/events', { config: { roles: STAFF_ROLES }, schema: { response: { 200: EventList, '4xx': ErrorBody } } }, async () => ({
    events: (await app.events.listEvents(EVENT_LIST_LIMIT)).map(toEventView),
  }))

  app.get(
    '/events/:id',
    { config: { roles: STAFF_ROLES }, schema: { params: EventParams, response: { 200: EventView, '4xx': ErrorBody } } },
    async (request) => toEventView(await getEvent(app.events, request.params.id)),
  )

  app.patch(
    '/events/:id',
    {
      config: { roles: STAFF_ROLES },
      schema: { params: EventParams, body: UpdateEventBody, response: { 200: EventView, '4xx': ErrorBody } },
    },
    async (request) => {
      const event = await updateEvent(app.events, request.params.id, request.body)
      await recordAudit(request, 'event.changed', event.id, { name: event.name, changes: request.body })
      return event
    },
  )

  app.put(
    '/events/:id/ticket-types/:typeId',
    {
      config: { roles: STAFF_ROLES },
      schema: { params: TicketTypeParams, body: TicketTypeBody, response: { 200: TicketTypeView, 201: TicketTypeView, '4xx': ErrorBody } },
    },
    async (request, reply) => {
      const before = (await app.events.getEvent(request.params.id))?.ticketTypes.find((type) => type.id === request.params.typeId)
      const { created, ticketType } = await putTicketType(app.events, request.params.id, request.params.typeId, request.body)
      const { name, price, capacity } = ticketType
      const changed = !before || before.name !== name || before.capacity !== capacity || before.priceMinor !== price.amountMinor
      if (changed) {
        const detail = { ticketType: ticketType.id, name, capacity, previousCapacity: before?.capacity ?? null, price }
        await recordAudit(request, 'event.changed', ticketType.eventId, detail)
      }
      return reply.code(created ? 201 : 200).send(ticketType)
    },
  )

  app.get(
    '/events/:id/dashboard',
    { config: { roles: STAFF_ROLES }, schema: { params: EventParams, response: { 200: DoorDashboard, '4xx': ErrorBody } } },
    async (request) => {
      const event = await getEvent(app.events, request.params.id)
      const [lines, series] = await Promise.all([app.events.doorCounts(event.id), app.events.checkinSeries(event.id)])
      return toDoorDashboard(event, lines, series)
    },
  )
}

export default events
