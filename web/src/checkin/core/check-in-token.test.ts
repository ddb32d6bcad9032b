import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { CheckinBody, CheckinResult } from '@boxoffice/tickets'
import { ApiError, NetworkError } from '../../shared/core/request-failure.ts'
import { checkInToken, serverUnreachable, type CheckinScanDeps } from './check-in-token.ts'
import type { LocalCheckin } from '../ports.ts'
import { loadOfflineKit } from './offline-kit.ts'
import { signedBatch, type SignedBatch } from './testing/signed-batch.ts'

const NOW = new Date('2026-11-29T20:00:00.000Z')

class MemoryStore {
  records = new Map<string, LocalCheckin>()
  failWrites = false
  async findCheckin(batchId: string, serial: number) {
    return this.records.get(`${batchId}/${serial}`)
  }
  async recordCheckin(checkin: LocalCheckin) {
    if (this.failWrites) throw new Error('QuotaExceededError')
    this.records.set(`${checkin.batchId}/${checkin.serial}`, checkin)
  }
}

type Answer = (body: CheckinBody) => CheckinResult | Error

/** A server that answers with `answer(body)`, or throws it when it is an Error; records each request. */
class ScriptedServer {
  calls: CheckinBody[] = []
  answer: Answer = () => new Error('the server was not expected to be asked')
  async checkIn(body: CheckinBody): Promise<CheckinResult> {
    this.calls.push(body)
    const result = this.answer(body)
    if (result instanceof Error) throw result
    return result
  }
}

async function setup(options: { online: boolean; answer?: Answer }) {
  const batch = await signedBatch()
  const store = new MemoryStore()
  const api = new ScriptedServer()
  if (options.answer) api.answer = options.answer
  let keys = 0
  const deps: CheckinScanDeps = {
    store,
    server: api,
    kit: await loadOfflineKit([batch.kitBatch]),
    deviceId: 'gate-3',
    isOnline: () => options.online,
    now: () => NOW,
    newIdempotencyKey: () => `scan-key-${String(++keys).padStart(8, '0')}`,
  }
  return { batch, store, api, deps }
}

const validAnswer =
  (batch: SignedBatch, serial: number): Answer =>
  (body) => ({
    result: 'valid',
    checkedInAt: body.checkedInAt!,
    ticket: { batchId: batch.kitBatch.id, serial, ticketType: 'General' },
  })

test('online, the server decides; the request carries the device and the scan time, and a valid check-in is remembered as synced', async () => {
  const { batch, store, api, deps } = await setup({ online: true })
  api.answer = validAnswer(batch, 3)
  const token = await batch.token(3)
  const { verdict, offlineCause } = await checkInToken(` ${token}\n`, deps)
  assert.equal(offlineCause, undefined)
  assert.equal(verdict.result, 'valid')
  assert.equal(verdict.decidedBy, 'server')
  assert.deepEqual(api.calls, [
    { token, deviceId: 'gate-3', checkedInAt: NOW.toISOString(), idempotencyKey: 'scan-key-00000001', eventId: undefined },
  ])
  assert.equal(store.records.get(`${batch.kitBatch.id}/3`)?.sync, 'synced')
})

test('each scan gets its own idempotency key, and a scan whose request failed keeps that key in its pending record for the sync', async () => {
  const { batch, store, api, deps } = await setup({ online: true, answer: () => new TypeError('network connection was lost') })
  await checkInToken(await batch.token(5), deps)
  await checkInToken(await batch.token(6), deps)
  assert.deepEqual(
    api.calls.map((call) => call.idempotencyKey),
    ['scan-key-00000001', 'scan-key-00000002'],
  )
  // If the lost request did reach the server, the sync is a retry of it: same key, same time.
  assert.equal(store.records.get(`${batch.kitBatch.id}/5`)?.idempotencyKey, 'scan-key-00000001')
  assert.equal(store.records.get(`${batch.kitBatch.id}/5`)?.checkedInAt, api.calls[0]!.checkedInAt)
  assert.equal(store.records.get(`${batch.kitBatch.id}/6`)?.idempotencyKey, 'scan-key-00000002')
})

test('without a key source given, the key is a random UUID', async () => {
  const { batch, api, deps } = await setup({ online: true })
  api.answer = validAnswer(batch, 3)
  await checkInToken(await batch.token(3), { ...deps, newIdempotencyKey: undefined })
  assert.match(api.calls[0]!.idempotencyKey!, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
})

test("online, the server's refusal is the answer, and nothing is recorded here", async () => {
  const { batch, store, deps } = await setup({
    online: true,
    answer: () => ({ result: 'invalid', reason: 'REVOKED', message: 'ticket 3 was revoked' }),
  })
  const { verdict } = await checkInToken(await batch.token(3), deps)
  assert.equal(verdict.result === 'invalid' && verdict.reason, 'REVOKED')
  assert.equal(store.records.size, 0)
})

test('a network error falls back to the kit and records the check-in pending, at the same time the server was sent', async () => {
  const { batch, store, api, deps } = await setup({ online: true, answer: () => new TypeError('Failed to fetch') })
  const { verdict, offlineCause } = await checkInToken(await batch.token(5), deps)
  assert.equal(verdict.result, 'valid')
  assert.equal(verdict.decidedBy, 'device')
  assert.equal(offlineCause, 'server-unreachable')
  const record = store.records.get(`${batch.kitBatch.id}/5`)
  assert.equal(record?.sync, 'pending')
  assert.equal(record?.checkedInAt, api.calls[0]!.checkedInAt)
})

test('a 503 falls back to the kit too; a 401 or a 400 does not', async () => {
  const unavailable = await setup({ online: true, answer: () => new ApiError(503, 'STORAGE_UNAVAILABLE', 'disk full') })
  assert.equal((await checkInToken(await unavailable.batch.token(1), unavailable.deps)).offlineCause, 'server-unreachable')
  for (const error of [new ApiError(401, 'SESSION_EXPIRED', 'expired'), new ApiError(400, 'INVALID_REQUEST', 'bad')]) {
    const { batch, store, deps } = await setup({ online: true, answer: () => error })
    await assert.rejects(checkInToken(await batch.token(1), deps), error)
    assert.equal(store.records.size, 0)
  }
})

test('offline, the server is not asked; a second scan of the same ticket is already checked in on this device', async () => {
  const { batch, api, deps } = await setup({ online: false })
  const token = await batch.token(2)
  const first = await checkInToken(token, deps)
  assert.equal(first.verdict.result, 'valid')
  assert.equal(first.offlineCause, 'browser-offline')
  const { verdict: again } = await checkInToken(token, { ...deps, now: () => new Date('2026-11-29T20:05:00.000Z') })
  assert.equal(again.result, 'already-checked-in')
  assert.equal(again.result === 'already-checked-in' && again.checkedInAt, NOW.toISOString())
  assert.equal(again.result === 'already-checked-in' && again.deviceId, 'gate-3')
  assert.equal(api.calls.length, 0)
})

test('back online, a ticket admitted offline and not yet synced is refused here without asking the server, which cannot know it', async () => {
  const { batch, store, api, deps } = await setup({ online: false })
  const token = await batch.token(2)
  await checkInToken(token, deps)
  api.answer = validAnswer(batch, 2)
  const { verdict: again, offlineCause } = await checkInToken(token, { ...deps, isOnline: () => true })
  assert.equal(again.result, 'already-checked-in')
  assert.equal(again.decidedBy, 'device')
  assert.equal(offlineCause, 'unsynced-here')
  assert.equal(store.records.get(`${batch.kitBatch.id}/2`)?.sync, 'pending')
  assert.equal(api.calls.length, 0)
})

test('offline, a forged token naming a ticket this device admitted is invalid, not already checked in', async () => {
  const { batch, deps } = await setup({ online: false })
  await checkInToken(await batch.token(2), deps)
  const { verdict: forged } = await checkInToken(await batch.forged(2), deps)
  assert.equal(forged.result === 'invalid' && forged.reason, 'BAD_SIGNATURE')
})

test('offline, a check-in that cannot be stored is not reported valid', async () => {
  const { batch, store, deps } = await setup({ online: false })
  store.failWrites = true
  await assert.rejects(checkInToken(await batch.token(2), deps), /QuotaExceeded/)
})

test('online, a check-in the server holds stays valid even if this device cannot remember it', async () => {
  const { batch, store, api, deps } = await setup({ online: true })
  api.answer = validAnswer(batch, 4)
  store.failWrites = true
  assert.equal((await checkInToken(await batch.token(4), deps)).verdict.result, 'valid')
})

test('network errors, 408 and 5xx send the check-in offline; other answers do not', () => {
  assert.equal(serverUnreachable(new TypeError('Failed to fetch')), true)
  assert.equal(serverUnreachable(new DOMException('signal timed out', 'TimeoutError')), true)
  assert.equal(serverUnreachable(new DOMException('aborted', 'AbortError')), false)
  for (const status of [408, 500, 502, 503]) assert.equal(serverUnreachable(new ApiError(status, 'X', 'x')), true, `status ${status}`)
  for (const status of [400, 401, 403, 404, 409, 413, 429])
    assert.equal(serverUnreachable(new ApiError(status, 'X', 'x')), false, `status ${status}`)
  assert.equal(serverUnreachable(new SyntaxError('Unexpected token <')), false)
  assert.equal(serverUnreachable(new NetworkError('no answer within 4 s')), true, 'what the page request throws for no answer')
})
