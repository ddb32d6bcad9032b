import { LogController, type FastifyReply, type FastifyRequest } from 'fastify'
import { CHUNK_RUN_PATH } from './routes/chunks.ts'

/** A chunk's upload, alone or in a run (whose refused chunks the route logs one by one). */
const CHUNK_ROUTES = new Set(['/api/batches/:id/chunks/:index', `/api${CHUNK_RUN_PATH}`])

/** Requests whose completion is not logged one by one (their route logs a summary instead). */
const unlogged = new WeakSet<FastifyRequest>()

/** Leaves this request out of the log: for answers a flood makes by the thousand, which the route sums up. */
export function leaveOutOfRequestLog(request: FastifyRequest): void {
  unlogged.add(request)
}

/**
 * One log line per answered request, written when it completes (method, URL, status, time), with
 * one exception: a chunk upload that succeeded. Those are nearly all of the traffic (20,000
 * requests for a million tickets), the batch's counters already say what they did, and writing a
 * line each cost the server about a tenth of its main thread. Refused chunks are still logged.
 * Requests a route left out (leaveOutOfRequestLog) are not logged either.
 */
export class RequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request) || unlogged.has(request)) return
    if (!error && reply.statusCode < 400 && isChunkUpload(request)) return
    const line = { req: request, res: reply, responseTime: reply.elapsedTime }
    if (error) reply.log.error({ ...line, err: error }, 'request errored')
    else reply.log.info(line, 'request completed')
  }
}

function isChunkUpload(request: FastifyRequest): boolean {
  return request.method === 'PUT' && CHUNK_ROUTES.has(request.routeOptions.url ?? '')
}
