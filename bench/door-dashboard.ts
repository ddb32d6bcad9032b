// The door dashboard at stadium scale: `npx tsx bench/door-dashboard.ts [--db=sqlite|postgres]
// [--tickets=1000000] [--checkins=200000]`. Fills a fresh database through the server's own
// repositories (one event, two ticket types, batches of 50,000, check-ins spread over three
// hours), then asks the real server for GET /api/events/:id/dashboard: the latency of 50 requests
// one after another, and the server's CPU while 20 dashboards poll it every 3 s for 30 s.
import { parseArgs } from 'node:util'
import { ApiProcess } from '@boxoffice/testkit/api-process'
import { FreshDatabases, type Backend } from '@boxoffice/testkit/fresh-databases'
import { openStorage } from '@boxoffice/testkit/server-storage'
import { processCpuSeconds } from './cpu-accounting.ts'
import { setUpAccess } from './server-access.ts'

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    tickets: { type: 'string', default: '1000000' },
    checkins: { type: 'string', default: '200000' },
  },
})
const backend = values.db as Backend
const tickets = Number(values.tickets)
const checkinCount = Number(values.checkins)
const BATCH = 50_000
const POLLERS = 20
const POLL_MS = 3_000
const POLL_SECONDS = 30

const databases = new FreshDatabases(backend)
const api = new ApiProcess({ database: await databases.next() })
await api.start()
try {
  const storage = await openStorage(api.database)
  const eventId = crypto.randomUUID()
  const typeIds = [crypto.randomUUID(), crypto.randomUUID()]
  const now = new Date().toISOString()
  await storage.events.createEvent({
    id: eventId,
    name: 'Stadium night',
    startsAt: '2026-12-31T20:00',
    timeZone: 'Europe/Berlin',
    venue: 'Olympiastadion',
    createdAt: now,
    createdBy: null,
    ticketTypes: typeIds.map((id, n) => ({ id, eventId, name: `Block ${n + 1}`, priceMinor: 4000, currency: 'EUR', capacity: tickets })),
  })
  const filling = performance.now()
  const batchIds: string[] = []
  for (let made = 0, n = 0; made < tickets; made += BATCH, n++) {
    const quantity = Math.min(BATCH, tickets - made)
    const id = crypto.randomUUID()
    batchIds.push(id)
    const created = await storage.tickets.createBatch({
      id,
      ticketTypeId: typeIds[n % 2]!,
      quantity,
      publicKey: 'k'.repeat(43),
      createdAt: now,
      createdBy: null,
    })
    if (created.outcome !== 'created') throw new Error(`batch not created: ${created.outcome}`)
    for (let index = 0; index * 50 < quantity; index++) {
      const chunk = Array.from({ length: Math.min(50, quantity - index * 50) }, (_, i) => ({
        serial: index * 50 + i,
        token: `T${index * 50 + i}`,
      }))
      await storage.tickets.commitChunk({ batchId: id, index, digest: `d${index}`, tickets: chunk, committedAt: now })
    }
    await storage.tickets.finishBatch(id, 'completed', now)
  }
  // Check-ins over three hours of the scanners' clocks, a thousand a sync.
  const start = Date.parse('2026-12-31T18:00:00.000Z')
  for (let done = 0; done < checkinCount; done += 1_000) {
    const records = Array.from({ length: Math.min(1_000, checkinCount - done) }, (_, i) => {
      const k = done + i
      return {
        batchId: batchIds[k % batchIds.length]!,
        serial: Math.floor(k / batchIds.length),
        checkedInAt: new Date(start + Math.floor((k / checkinCount) * 3 * 3_600_000)).toISOString(),
        deviceId: 'gate-1',
        recordedAt: now,
        recordedBy: null,
        idempotencyKey: null,
      }
    })
    await storage.checkins.recordCheckins(records)
  }
  await storage.close()
  console.log(
    `filled ${backend}: ${tickets.toLocaleString('en-US')} tickets, ${checkinCount.toLocaleString('en-US')} check-ins in ${((performance.now() - filling) / 1000).toFixed(0)} s`,
  )

  const access = await setUpAccess(api)
  const url = `${api.baseURL}/api/events/${eventId}/dashboard`
  const ask = async () => {
    const started = performance.now()
    const response = await fetch(url, { headers: access.headers })
    const body = await response.json()
    if (!response.ok) throw new Error(`dashboard: ${response.status} ${JSON.stringify(body)}`)
    return { ms: performance.now() - started, body }
  }
  const first = await ask()
  if (first.body.total.checkedIn !== checkinCount || first.body.total.onServer !== tickets) {
    throw new Error(`wrong counts: ${JSON.stringify(first.body.total)}`)
  }
  const times: number[] = []
  for (let i = 0; i < 50; i++) times.push((await ask()).ms)
  times.sort((a, b) => a - b)
  const median = times[25]!
  const p95 = times[47]!

  const cpuBefore = processCpuSeconds(api.pid!)
  let requests = 0
  const until = Date.now() + POLL_SECONDS * 1_000
  await Promise.all(
    Array.from({ length: POLLERS }, async (_, n) => {
      await new Promise((resolve) => setTimeout(resolve, (n * POLL_MS) / POLLERS))
      while (Date.now() < until) {
        await ask()
        requests++
        await new Promise((resolve) => setTimeout(resolve, POLL_MS))
      }
    }),
  )
  const cpu = processCpuSeconds(api.pid!) - cpuBefore
  console.log(
    JSON.stringify({
      backend,
      tickets,
      checkins: checkinCount,
      buckets: first.body.checkinsPer5Minutes.length,
      dashboardMs: { median: Number(median.toFixed(1)), p95: Number(p95.toFixed(1)) },
      twentyDashboards: { requests, serverCpuSeconds: Number(cpu.toFixed(2)), shareOfOneCore: Number((cpu / POLL_SECONDS).toFixed(4)) },
    }),
  )
} finally {
  await api.dispose()
  await databases.dispose()
}
