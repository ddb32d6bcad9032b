// The load test's tables: one per phase (a row per box office and one for all), and a summary
// with a row per phase.
import { availableParallelism } from 'node:os'
import type { LatencySummary } from '@boxoffice/testkit/latency'
import type { LoadTestOptions } from './options.ts'
import type { PhaseResult } from './phase.ts'

const PHASE_TITLE = { steady: 'no restart', restart: 'server (or one instance) killed (SIGKILL) and restarted once' } as const

const count = (value: number) => Math.round(value).toLocaleString('en-US')
const ms = (value: number) => (Number.isNaN(value) ? '–' : value < 10 ? value.toFixed(1) : count(value))

function table(header: string[], rows: string[][], leftColumns = 1): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)))
  const line = (cells: string[]) =>
    `| ${cells.map((cell, column) => (column < leftColumns ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join(' | ')} |`
  const rule = `|${widths.map((width, column) => (column < leftColumns ? `:${'-'.repeat(width + 1)}` : `${'-'.repeat(width + 1)}:`)).join('|')}|`
  return [line(header), rule, ...rows.map(line)].join('\n')
}

function sum(values: number[]) {
  return values.reduce((a, b) => a + b, 0)
}

function retriesOf(result: PhaseResult) {
  const byReason = new Map<string, number>()
  for (const office of result.offices) for (const [reason, n] of office.retries) byReason.set(reason, (byReason.get(reason) ?? 0) + n)
  return byReason
}

function latencyCells(latency: LatencySummary) {
  return [ms(latency.p50), ms(latency.p95), ms(latency.p99), ms(latency.max)]
}

/** A row per box office and one for all of them. */
export function formatPhase(result: PhaseResult): string {
  const header = [
    'office',
    'tickets',
    'seconds',
    'tickets/s',
    'requests',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'max ms',
    'retries',
    'duplicate acks',
    'given up',
    'end state',
  ]
  const rows = result.offices.map((office, i) => {
    const end = result.endStates[i]!
    return [
      office.name,
      count(office.tickets),
      (office.uploadMs / 1000).toFixed(1),
      count(office.tickets / (office.uploadMs / 1000)),
      count(office.requests),
      ...latencyCells(office.latency.summary()),
      count(sum([...office.retries.values()])),
      count(office.duplicateAcks),
      count(office.givenUp.length),
      end.problems.length ? `WRONG: ${end.problems.join('; ')}` : 'exact',
    ]
  })
  const retries = retriesOf(result)
  rows.push([
    'all',
    count(result.tickets),
    result.seconds.toFixed(1),
    count(result.tickets / result.seconds),
    count(sum(result.offices.map((office) => office.requests))),
    ...latencyCells(result.latency),
    count(sum([...retries.values()])),
    count(sum(result.offices.map((office) => office.duplicateAcks))),
    count(sum(result.offices.map((office) => office.givenUp.length))),
    result.exact ? 'exact' : 'WRONG',
  ])
  const lines = [`${PHASE_TITLE[result.phase]}:`, '', table(header, rows), '']
  lines.push(`retries by reason: ${retries.size ? [...retries].map(([reason, n]) => `${reason} ${count(n)}`).join(', ') : 'none'}`)
  if (result.restart) {
    const { killedAtSeconds, ackedBeforeKill, downSeconds } = result.restart
    lines.push(
      `restart: SIGKILL ${killedAtSeconds.toFixed(1)} s into the upload, after ${count(ackedBeforeKill)} of ${count(result.tickets)} tickets were acknowledged; ` +
        `the new process answered its health check ${downSeconds.toFixed(1)} s later, and no chunk was acknowledged for ${result.longestAckGapSeconds.toFixed(1)} s; ` +
        `${count(ackedBeforeKill / killedAtSeconds)} tickets/s before the kill, ${count((result.tickets - ackedBeforeKill) / (result.seconds - killedAtSeconds))} tickets/s from the kill to the end`,
    )
  } else {
    lines.push(`longest time without an acknowledgement: ${result.longestAckGapSeconds.toFixed(1)} s`)
  }
  lines.push(
    `load average (1 min) ${result.loadAverage[0].toFixed(1)} when the uploads started, ${result.loadAverage[1].toFixed(1)} when they ended (${availableParallelism()} cores)`,
  )
  lines.push(
    `database: ${count(result.storedTickets)} ticket rows in all; per batch, every serial once and every token's signature verified${result.exact ? '' : ' — NOT EXACT, see above'}`,
  )
  for (const office of result.offices) for (const message of office.givenUp) lines.push(`given up (${office.name}): ${message}`)
  return lines.join('\n')
}

/** A row per phase. */
export function formatSummary(results: PhaseResult[]): string {
  const header = [
    'phase',
    'tickets',
    'seconds',
    'tickets/s',
    'requests',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'max ms',
    'longest ack gap s',
    'retries',
    'duplicate acks',
    'errors (given up)',
    'end state',
  ]
  const rows = results.map((result) => [
    result.phase === 'steady'
      ? 'no restart'
      : `SIGKILL + restart at ${Math.round(((result.restart?.ackedBeforeKill ?? 0) / result.tickets) * 100)} %`,
    count(result.tickets),
    result.seconds.toFixed(1),
    count(result.tickets / result.seconds),
    count(sum(result.offices.map((office) => office.requests))),
    ...latencyCells(result.latency),
    result.longestAckGapSeconds.toFixed(1),
    count(sum([...retriesOf(result).values()])),
    count(sum(result.offices.map((office) => office.duplicateAcks))),
    count(sum(result.offices.map((office) => office.givenUp.length))),
    result.exact ? 'exact' : 'WRONG',
  ])
  return table(header, rows)
}

export function describeRun(
  options: LoadTestOptions,
  signing: { seconds: number; bytesPerTicket: number; plainBytesPerTicket: number },
): string {
  return (
    `${options.offices} box offices × ${count(options.ticketsPerOffice)} tickets, 50-ticket chunks, ${options.inFlight} in flight per office ` +
    `(${options.offices * options.inFlight} at once), ${options.encoding} bodies (${signing.bytesPerTicket.toFixed(1)} B a ticket; plain JSON ${signing.plainBytesPerTicket.toFixed(1)} B). ` +
    `Signed up front in ${signing.seconds.toFixed(1)} s, not timed. ` +
    (options.db === 'sqlite'
      ? 'Server: one instance on SQLite.'
      : options.instances === 1
        ? 'Server: one instance on PostgreSQL.'
        : `Server: ${options.instances} instances on PostgreSQL behind nginx (HTTPS), round robin; the restart kills one of them.`)
  )
}
