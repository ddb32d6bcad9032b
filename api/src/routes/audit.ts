import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { AUDIT_PAGE_DEFAULT, AuditList, AuditQuery, ErrorBody } from '@boxoffice/tickets'
import { Readable } from 'node:stream'
import type { AuditEntry } from '../audit/audit-chain.ts'
import { ADMIN_ONLY } from '../auth/route-roles.ts'
import type { AuditQuery as StoredAuditQuery } from '../db/audit-repository.ts'
import { InvalidRequest } from '../errors.ts'
import { csvLine } from '../exports/csv-export.ts'
import { FileStream } from '../exports/file-stream.ts'

const CSV_PAGE = 1_000
const CSV_COLUMNS = ['seq', 'at', 'actor', 'ip', 'device', 'action', 'subject', 'detail', 'hash']

/** A filter time: any date or date-time Date reads, stored as ISO 8601 UTC. */
function filterTime(value: string | undefined, field: string): string | undefined {
  if (value === undefined) return undefined
  const time = new Date(value)
  if (Number.isNaN(time.getTime()))
    throw new InvalidRequest(
      `querystring/${field} ${JSON.stringify(value)} is not a date or time (such as 2026-12-03 or 2026-12-03T18:00:00Z)`,
    )
  return time.toISOString()
}

function storedQuery(query: AuditQuery, limit: number): StoredAuditQuery {
  return {
    actor: query.actor,
    action: query.action,
    from: filterTime(query.from, 'from'),
    to: filterTime(query.to, 'to'),
    beforeSeq: query.before,
    limit,
  }
}

const view = (entry: AuditEntry) => {
  const { prevHash: _prev, hash: _hash, detail, ...rest } = entry
  return { ...rest, detail: JSON.parse(detail) as Record<string, unknown> }
}

/** The audit log, read-only, for admins: no route changes or deletes an entry. */
const audit: FastifyPluginAsyncTypebox = async (app) => {
  const config = { roles: ADMIN_ONLY }

  app.get('/audit', { config, schema: { querystring: AuditQuery, response: { 200: AuditList, '4xx': ErrorBody } } }, async (request) => {
    const limit = request.query.limit ?? AUDIT_PAGE_DEFAULT
    const entries = await app.audit.list(storedQuery(request.query, limit))
    return { entries: entries.map(view), nextBefore: entries.length === limit ? entries.at(-1)!.seq : null }
  })

  app.get(
    '/audit.csv',
    { config, exposeHeadRoute: false, schema: { querystring: AuditQuery, response: { 200: FileStream, '4xx': ErrorBody } } },
    async (request, reply) => {
      const query = storedQuery(request.query, CSV_PAGE)
      const repository = app.audit
      async function* lines() {
        yield csvLine(CSV_COLUMNS)
        for (let page = await repository.list(query); page.length > 0;) {
          for (const e of page)
            yield csvLine([String(e.seq), e.at, e.actor ?? '', e.ip ?? '', e.device ?? '', e.action, e.subject ?? '', e.detail, e.hash])
          if (page.length < CSV_PAGE) break
          page = await repository.list({ ...query, beforeSeq: page.at(-1)!.seq })
        }
      }
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="boxoffice-audit.csv"')
        .header('cache-control', 'no-store')
        .send(Readable.from(lines()))
    },
  )
}

export default audit
