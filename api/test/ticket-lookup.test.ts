import assert from 'node:assert/strict'
import { test } from 'node:test'
import { formatTicketNumber } from '@boxoffice/tickets'
import { completedBatch } from './completed-batch.ts'
import { addTestAccount, errorOf, openApp, signIn, tamperToken, testDatabase, type Client } from './helper.ts'

async function lookUp(api: Client, q: string) {
  return api.inject({ method: 'GET', url: `/api/tickets/lookup?q=${encodeURIComponent(q)}` })
}

test('a ticket is found by its token or its number, with its event, type, price, batch and state', async (t) => {
  const app = await openApp(t, await testDatabase(t))
  await addTestAccount(app, 'sam', 'staff')
  await addTestAccount(app, 'sue', 'staff')
  await addTestAccount(app, 'boss', 'admin')
  const { api: sam } = await signIn(app, 'sam')
  const { api: sue } = await signIn(app, 'sue')
  const { api: admin } = await signIn(app, 'boss')
  const batch = await completedBatch(sam, { quantity: 50 })
  const number = formatTicketNumber(batch.id, 42)

  const issued = await lookUp(sam, await batch.token(42))
  assert.equal(issued.statusCode, 200, issued.body)
  assert.deepEqual(issued.json(), {
    ticketNumber: number,
    batchId: batch.id,
    serial: 42,
    event: 'Spring Gala 2026',
    ticketType: 'General admission',
    price: { amountMinor: 4500, currency: 'EUR' },
    batchState: 'completed',
    state: 'issued',
    checkin: null,
    revocation: null,
  })
  assert.deepEqual((await lookUp(sam, ` ${number.toLowerCase()} `)).json(), issued.json(), 'a typed number, any case, spaces around')

  await sam.inject({ method: 'POST', url: '/api/checkins', payload: { token: await batch.token(42), deviceId: 'north-1' } })
  const checkedIn = (await lookUp(sam, number)).json()
  assert.equal(checkedIn.state, 'checked-in')
  assert.deepEqual([checkedIn.checkin.device, checkedIn.checkin.recordedBy], ['north-1', 'sam'])

  await sam.inject({ method: 'POST', url: `/api/batches/${batch.id}/tickets/42/revoke`, payload: { reason: 'refunded' } })
  const revoked = (await lookUp(admin, number)).json()
  assert.equal(revoked.state, 'revoked', 'an admin sees every batch')
  assert.deepEqual([revoked.revocation.revokedBy, revoked.revocation.reason, revoked.revocation.wholeBatch], ['sam', 'refunded', false])

  // Another staff account does not see sam's batch; nonsense and unknown numbers say what is wrong.
  const hidden = await lookUp(sue, number)
  assert.deepEqual([hidden.statusCode, errorOf(hidden).code], [404, 'TICKET_NOT_FOUND'])
  const outOfRange = await lookUp(sam, formatTicketNumber(batch.id, 50))
  assert.match(errorOf(outOfRange).message, /has no ticket 50; its serials are 0–49/)
  const nonsense = await lookUp(sam, 'hello')
  assert.deepEqual([nonsense.statusCode, errorOf(nonsense).code], [400, 'INVALID_REQUEST'])
  assert.match(errorOf(nonsense).message, /neither a ticket number \(such as 3F1C2A4E-0000042\) nor a ticket's token/)
  const forged = await lookUp(sam, tamperToken(await batch.token(3)))
  assert.equal(forged.statusCode, 404, forged.body)
})
