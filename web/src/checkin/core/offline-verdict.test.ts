import assert from 'node:assert/strict'
import { test } from 'node:test'
import { loadOfflineKit } from './offline-kit.ts'
import { namedTicket, offlineVerdict, type OfflineScan } from './offline-verdict.ts'
import { localCheckin, signedBatch } from './testing/signed-batch.ts'

const NOW = '2026-11-29T20:00:00.000Z'
const DEVICE = 'gate-3'

async function scan(token: string, kitBatches: Parameters<typeof loadOfflineKit>[0], local?: OfflineScan['local']) {
  return offlineVerdict({ token, kit: await loadOfflineKit(kitBatches), local, checkedInAt: NOW, deviceId: DEVICE })
}

test('a genuine ticket of a prepared batch, never seen here, is valid at the scan time with its event and price', async () => {
  const batch = await signedBatch()
  const verdict = await scan(await batch.token(7), [batch.kitBatch])
  assert.deepEqual(verdict, {
    result: 'valid',
    checkedInAt: NOW,
    decidedBy: 'device',
    ticket: {
      batchId: batch.kitBatch.id,
      serial: 7,
      ticketType: 'General',
      event: 'Spring Gala',
      price: { amountMinor: 4500, currency: 'EUR' },
    },
  })
})

test('a forged signature is invalid, naming no ticket', async () => {
  const batch = await signedBatch()
  const verdict = await scan(await batch.forged(7), [batch.kitBatch])
  assert.equal(verdict.result, 'invalid')
  assert.equal(verdict.result === 'invalid' && verdict.reason, 'BAD_SIGNATURE')
  assert.equal(verdict.ticket, undefined)
})

test('garbage is invalid as an encoding problem', async () => {
  const batch = await signedBatch()
  const verdict = await scan('not a token!', [batch.kitBatch])
  assert.equal(verdict.result === 'invalid' && verdict.reason, 'BAD_ENCODING')
})

test('a batch not in the kit is refused as not prepared, not as unknown', async () => {
  const prepared = await signedBatch()
  const other = await signedBatch()
  const verdict = await scan(await other.token(1), [prepared.kitBatch])
  assert.equal(verdict.result === 'invalid' && verdict.reason, 'NOT_PREPARED')
  assert.match(verdict.result === 'invalid' ? verdict.message : '', /not prepared for offline check-in/)
})

test('a well-signed serial at or past the quantity, or of another type, was never issued', async () => {
  const batch = await signedBatch({ quantity: 20 })
  const past = await scan(await batch.token(20), [batch.kitBatch])
  assert.equal(past.result === 'invalid' && past.reason, 'NOT_ISSUED')
  assert.equal(past.ticket?.serial, 20)
  const last = await scan(await batch.token(19), [batch.kitBatch])
  assert.equal(last.result, 'valid')
  const otherType = await scan(await batch.otherType(3, 'VIP'), [batch.kitBatch])
  assert.equal(otherType.result === 'invalid' && otherType.reason, 'NOT_ISSUED')
})

test('revoked serial ranges refuse exactly their serials', async () => {
  const batch = await signedBatch({
    revokedSerials: [
      [3, 5],
      [9, 9],
    ],
  })
  for (const [serial, expected] of [
    [2, 'valid'],
    [3, 'REVOKED'],
    [5, 'REVOKED'],
    [6, 'valid'],
    [9, 'REVOKED'],
    [10, 'valid'],
  ] as const) {
    const verdict = await scan(await batch.token(serial), [batch.kitBatch])
    assert.equal(verdict.result === 'invalid' ? verdict.reason : verdict.result, expected, `serial ${serial}`)
  }
})

test('a batch revoked whole refuses every ticket, even one checked in before', async () => {
  const batch = await signedBatch({ revoked: true, revokedAt: '2026-11-29T18:00:00.000Z' })
  const token = await batch.token(1)
  const verdict = await scan(token, [batch.kitBatch], localCheckin({ batchId: batch.kitBatch.id, serial: 1, token }))
  assert.equal(verdict.result === 'invalid' && verdict.reason, 'BATCH_CANCELLED')
  assert.match(verdict.result === 'invalid' ? verdict.message : '', /2026-11-29T18:00:00.000Z/)
})

test('a ticket this device admitted (pending or synced) is already checked in, at its first time, by this device', async () => {
  const batch = await signedBatch()
  const token = await batch.token(4)
  for (const sync of ['pending', 'synced'] as const) {
    const verdict = await scan(
      token,
      [batch.kitBatch],
      localCheckin({ batchId: batch.kitBatch.id, serial: 4, token, sync, checkedInAt: '2026-11-29T19:01:00.000Z' }),
    )
    assert.equal(verdict.result, 'already-checked-in')
    assert.equal(verdict.result === 'already-checked-in' && verdict.checkedInAt, '2026-11-29T19:01:00.000Z')
    assert.equal(verdict.result === 'already-checked-in' && verdict.deviceId, DEVICE)
  }
})

test("after a conflict the first check-in named is the server's, on the other device", async () => {
  const batch = await signedBatch()
  const token = await batch.token(4)
  const local = localCheckin({
    batchId: batch.kitBatch.id,
    serial: 4,
    token,
    sync: 'conflict',
    firstCheckedInAt: '2026-11-29T18:30:00.000Z',
    firstDeviceId: 'gate-1',
  })
  const verdict = await scan(token, [batch.kitBatch], local)
  assert.equal(verdict.result === 'already-checked-in' && verdict.checkedInAt, '2026-11-29T18:30:00.000Z')
  assert.equal(verdict.result === 'already-checked-in' && verdict.deviceId, 'gate-1')
})

test('a check-in the server refused on sync let nobody in, so the ticket is judged afresh', async () => {
  const batch = await signedBatch()
  const token = await batch.token(4)
  const verdict = await scan(token, [batch.kitBatch], localCheckin({ batchId: batch.kitBatch.id, serial: 4, token, sync: 'invalid' }))
  assert.equal(verdict.result, 'valid')
})

test('namedTicket reads batch and serial without the signature, and nothing from garbage', async () => {
  const batch = await signedBatch()
  assert.deepEqual(namedTicket(await batch.forged(12)), { batchId: batch.kitBatch.id, serial: 12 })
  assert.equal(namedTicket('hello'), undefined)
})

test('offline, a ticket of another event that the kit names is refused as "Wrong event: <name>"', async () => {
  const batch = await signedBatch({ id: 'c0000000-0000-4000-8000-000000000002' })
  const verdict = await offlineVerdict({
    token: await batch.token(1),
    kit: new Map(),
    local: undefined,
    checkedInAt: '2026-11-29T19:00:00.000Z',
    deviceId: 'gate-1',
    otherEvents: new Map([[batch.kitBatch.id, 'Last week']]),
  })
  assert.deepEqual(verdict, { result: 'invalid', reason: 'WRONG_EVENT', message: 'Wrong event: Last week', decidedBy: 'device' })
})
