// PostgreSQL itself restarted mid-upload: the API answers 503 STORAGE_UNAVAILABLE with Retry-After
// while it is down, the page shows it is waiting, and once the database is back it finishes, exact.
import { ApiProcess } from '@boxoffice/testkit/api-process'
import { exactReport, inspectServerTickets } from '@boxoffice/testkit/server-tickets'
import { ThrowawayPostgres } from '@boxoffice/testkit/throwaway-postgres'
import { test as base, expect } from './fixtures.ts'
import { slowChunkUploads } from './support/network.ts'

interface Deployment {
  postgres: ThrowawayPostgres
  api: ApiProcess
}

const test = base.extend<object, { deployment: Deployment }>({
  // A cluster of its own, since this test stops it.
  deployment: [
    async ({}, use) => {
      const postgres = await ThrowawayPostgres.start()
      const api = new ApiProcess({
        database: { backend: 'postgres', url: postgres.url, poolSize: 10, connectionTimeoutMs: 2_000, statementTimeoutMs: 10_000 },
      })
      try {
        await api.start()
        await use({ postgres, api })
      } finally {
        await api.dispose()
        await postgres.dispose()
      }
    },
    { scope: 'worker' },
  ],
  baseURL: async ({ deployment }, use) => use(deployment.api.baseURL),
})

test('PostgreSQL restarted mid-upload: the page says it is waiting, then finishes with every serial once, every token verifying', async ({
  deployment,
  boxOffice,
  context,
}) => {
  const quantity = 20_000
  await slowChunkUploads(context, 25)
  await boxOffice.open()
  const batchId = await boxOffice.generate({ quantity })
  await boxOffice.waitForProgress('Uploaded', 2_000)

  await deployment.postgres.stopServer('fast')
  await expect(boxOffice.status()).toHaveAttribute('data-phase', 'waiting-network')
  await expect(boxOffice.status()).toContainText(/retrying in \d+ s/)
  expect(await boxOffice.progressValue('Uploaded')).toBeLessThan(quantity)
  await deployment.postgres.startServer()

  await boxOffice.waitForCompleted()
  expect(await inspectServerTickets(deployment.api.database, batchId, quantity), deployment.api.logs().slice(-4000)).toEqual(
    exactReport(quantity),
  )
})
