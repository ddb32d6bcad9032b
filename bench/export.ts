// Export throughput and server memory: `npx tsx bench/export.ts [tickets] [--layouts=single,a4-8|none]
// [--db=sqlite|postgres]` (default 100,000 tickets, both layouts; `none`: the CSV only).
//
// Runs the real server (api/src/server.ts) in a child process on a fresh database (a temp SQLite
// file, or a PostgreSQL database, whose export reads through a cursor), uploads
// one signed batch (not timed), then downloads its CSV and every PDF part (bench/measure-export.ts).
// Prints rows/s, pages/s and the server's resident memory before the exports and at its peak during
// each. `pnpm bench` measures the same at 100,000 tickets on a batch made through the page.
import { availableParallelism, loadavg } from 'node:os'
import type { TicketLayout } from '@boxoffice/tickets'
import { ApiProcess } from '@boxoffice/testkit/api-process'
import { FreshDatabases, type Backend } from '@boxoffice/testkit/fresh-databases'
import { describeExports, measureExports } from './measure-export.ts'
import { prepareSignedBatch, uploadPrepared } from '@boxoffice/testkit/signed-batch'
import { setUpAccess } from './server-access.ts'

const { quantity, layouts, backend } = parseArguments(process.argv.slice(2))

function parseArguments(args: string[]) {
  let quantity = 100_000
  let layouts: TicketLayout[] = ['single', 'a4-8']
  let backend: Backend = 'sqlite'
  for (const arg of args) {
    const chosen = /^--layouts=((?:single|a4-8)(?:,(?:single|a4-8))*|none)$/.exec(arg)
    const db = /^--db=(sqlite|postgres)$/.exec(arg)
    if (chosen) layouts = chosen[1] === 'none' ? [] : (chosen[1]!.split(',') as TicketLayout[])
    else if (db) backend = db[1] as Backend
    else if (/^\d+$/.test(arg) && Number(arg) >= 1 && Number(arg) <= 1_000_000) quantity = Number(arg)
    else {
      console.error(`usage: npx tsx bench/export.ts [tickets 1…1000000] [--layouts=single,a4-8|none] [--db=sqlite|postgres]; got ${arg}`)
      process.exit(2)
    }
  }
  return { quantity, layouts, backend }
}

const signingStarted = performance.now()
const batch = await prepareSignedBatch(quantity, 'Export benchmark, "Main Hall"')
console.log(
  `${quantity.toLocaleString('en-US')} tickets signed in ${((performance.now() - signingStarted) / 1000).toFixed(1)} s (not timed); ` +
    `${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(2)}`,
)
const databases = new FreshDatabases(backend, { settings: { fsync: 'on' } })
const server = new ApiProcess({ database: await databases.next() })
await server.start()
console.log(`server on ${databases.describe()}`)
try {
  const { headers } = await setUpAccess(server)
  const ingestRate = await uploadPrepared(server.baseURL, headers, batch, 4)
  console.log(`uploaded at ${Math.round(ingestRate).toLocaleString('en-US')} tickets/s`)
  const figures = await measureExports({ baseURL: server.baseURL, pid: server.pid! }, headers, { id: batch.body.id, quantity }, layouts)
  console.log(`server RSS before the exports: ${figures.idleRssMb.toFixed(0)} MB`)
  for (const line of describeExports(figures)) console.log(line)
} finally {
  await server.dispose()
  await databases.dispose()
}
