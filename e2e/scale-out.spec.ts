// Scaled out: three API instances on one PostgreSQL database, behind Debian's nginx running the
// sample config (deploy/nginx/boxoffice.conf) over HTTPS. One instance is killed mid-upload; the
// page carries on through the others, and the database ends exact.
import { createTestDatabase, type TestDatabase } from '@boxoffice/testkit/test-database'
import { ScaledOutApi } from '@boxoffice/testkit/scaled-out-api'
import { exactReport, inspectServerTickets } from '@boxoffice/testkit/server-tickets'
import { test as base, expect } from './fixtures.ts'
import { slowChunkUploads } from './support/network.ts'

const POSTGRES_DEFAULTS = { poolSize: 10, connectionTimeoutMs: 5_000, statementTimeoutMs: 10_000 }

const test = base.extend<object, { cluster: ScaledOutApi }>({
  cluster: [
    async ({}, use) => {
      const database: TestDatabase = await createTestDatabase()
      const cluster = new ScaledOutApi({ database: { backend: 'postgres', url: database.url, ...POSTGRES_DEFAULTS }, instances: 3 })
      try {
        await cluster.start()
        await use(cluster)
      } finally {
        await cluster.dispose()
        await database.drop()
      }
    },
    { scope: 'worker' },
  ],
  baseURL: async ({ cluster }, use) => use(cluster.baseURL),
})

// The balancer's certificate is self-signed for 127.0.0.1.
test.use({ ignoreHTTPSErrors: true })

test('three instances behind nginx, one killed with SIGKILL mid-upload: the page carries on through the others, every serial once, every token verifying', async ({
  cluster,
  boxOffice,
  context,
}) => {
  const quantity = 20_000
  // Slowed a little, so that the kill lands mid-upload on any machine.
  await slowChunkUploads(context, 25)
  await boxOffice.open()
  const batchId = await boxOffice.generate({ quantity })
  await boxOffice.waitForProgress('Uploaded', 2_000)

  const victim = cluster.upstreamOf(1)
  const before = cluster.balancer.accessLog()
  await cluster.instances[1]!.stop('SIGKILL')
  const uploadedAtKill = await boxOffice.progressValue('Uploaded')
  expect(uploadedAtKill, 'killed mid-upload').toBeLessThan(quantity)

  await boxOffice.waitForCompleted()
  expect(await inspectServerTickets(cluster.database, batchId, quantity), cluster.logs()).toEqual(exactReport(quantity))

  const chunkUploads = (lines: typeof before) => lines.filter((line) => /^PUT \/api\/batches\/[^/]+\/chunks\//.test(line.request))
  // Round robin: before the kill, every instance took chunks.
  for (const i of [0, 1, 2]) expect(chunkUploads(before).some((line) => line.upstreams.includes(cluster.upstreamOf(i)))).toBe(true)
  // After it, the dead instance answered nothing: each request nginx tried on it went on to another.
  const after = chunkUploads(cluster.balancer.accessLog().slice(before.length))
  const answered = after.filter((line) => line.status === 200)
  expect(answered.length).toBeGreaterThan(0)
  expect(answered.filter((line) => line.upstreams.at(-1) === victim)).toEqual([])
  expect(new Set(answered.map((line) => line.upstreams.at(-1)))).toEqual(new Set([cluster.upstreamOf(0), cluster.upstreamOf(2)]))
})
