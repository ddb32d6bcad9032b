import type { APIResponse, BrowserContext, Route } from '@playwright/test'

/** Chunks a chunk upload's URL carries: one (`…/chunks/7`), or a run's (`…/chunks/7-38`). */
export function chunksInUpload(url: string): number {
  const range = /\/chunks\/(\d+)(?:-(\d+))?(?:\?|$)/.exec(url)
  if (!range) return 1
  return range[2] === undefined ? 1 : Number(range[2]) - Number(range[1]) + 1
}

/**
 * Delays every chunk upload by `ms` a chunk it carries (a run of 32 waits 32 times as long as a
 * single chunk), so that a test can act in the middle of an upload, however the page groups them.
 *
 * With `holdAfter`, once that many chunks have gone through, later uploads wait (they neither
 * pass nor fail) until `lostWhen()` first holds, and are then lost: the test acts while the
 * upload is surely unfinished, however fast the page sends. After that uploads pass again.
 */
export async function slowChunkUploads(
  context: BrowserContext,
  ms: number,
  options: { while?: () => boolean; lostWhen?: () => boolean; holdAfter?: number } = {},
) {
  let passed = 0
  let holding = options.holdAfter !== undefined
  const lost = async () => {
    while (!options.lostWhen?.()) await new Promise((resolve) => setTimeout(resolve, 20))
    holding = false
  }
  await context.route('**/api/batches/*/chunks/*', async (route) => {
    const chunks = chunksInUpload(route.request().url())
    if (holding && passed >= options.holdAfter!) {
      await lost()
      return route.abort('internetdisconnected').catch(() => {})
    }
    passed += chunks
    if (options.while?.() ?? true) await new Promise((resolve) => setTimeout(resolve, ms * chunks))
    // A request still on its way when the network went down never arrives (context.setOffline
    // alone would let a request already handed to the route through).
    if (options.lostWhen?.()) return route.abort('internetdisconnected').catch(() => {})
    // The page may be gone (closed, reloaded) by the time the delay is over.
    await route.continue().catch(() => {})
  })
}

export interface TappedAck {
  index: number
  duplicate: boolean
}

/** The acknowledgements in a chunk upload's answer: a single chunk's ack, or each acknowledged chunk of a run. */
export function acksOf(body: unknown): TappedAck[] {
  if (!body || typeof body !== 'object') return []
  if ('results' in body && Array.isArray(body.results)) {
    return body.results.flatMap((result: { status: number; ack?: TappedAck }) =>
      result.status === 200 && result.ack ? [{ index: result.ack.index, duplicate: result.ack.duplicate }] : [],
    )
  }
  const ack = body as TappedAck
  return typeof ack.index === 'number' ? [{ index: ack.index, duplicate: ack.duplicate }] : []
}

/**
 * Passes every chunk upload (single or run) through the test runner (`route.fetch`), optionally
 * slowed (`delayMs` a chunk), and
 * records each acknowledgement the page received, in order. A request that finds the server gone
 * reaches the page as a refused connection. `hold()` keeps new uploads from reaching the server
 * until it is released.
 */
export class ChunkTap {
  readonly acks: TappedAck[] = []
  #gate: Promise<void> | undefined

  private constructor(public delayMs: number) {}

  static async attach(context: BrowserContext, options: { delayMs?: number } = {}): Promise<ChunkTap> {
    const tap = new ChunkTap(options.delayMs ?? 0)
    await context.route('**/api/batches/*/chunks/*', async (route) => {
      if (tap.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, tap.delayMs * chunksInUpload(route.request().url())))
      await tap.#gate
      let response: APIResponse
      try {
        response = await route.fetch()
      } catch {
        return route.abort('connectionrefused').catch(() => {})
      }
      const acks = response.status() === 200 ? acksOf(await response.json().catch(() => undefined)) : []
      try {
        await route.fulfill({ response })
      } catch {
        return // the page is gone (closed, killed): it never saw this answer
      }
      tap.acks.push(...acks)
    })
    return tap
  }

  /** Holds uploads back (they wait, they do not fail) until the returned function is called. */
  hold(): () => void {
    let release!: () => void
    this.#gate = new Promise((resolve) => (release = resolve))
    return () => {
      this.#gate = undefined
      release()
    }
  }

  ackedIndexes(): number[] {
    return this.acks.map(({ index }) => index)
  }
}

/** The indexes a chunk upload's URL carries, first to last. */
export function chunkIndexesInUpload(url: string): number[] {
  const range = /\/chunks\/(\d+)(?:-(\d+))?(?:\?|$)/.exec(url)
  if (!range) return []
  const first = Number(range[1])
  return Array.from({ length: chunksInUpload(url) }, (_, i) => first + i)
}

const FULL_CHUNK_BYTES = 50 * 64

/**
 * Answers chunk `index` with `status` and `error` while `refusing()` holds, whether it goes up
 * alone or inside a run: a run's other chunks still reach the server (as the runs before and
 * after it), and the page gets one answer for the run, with `index`'s result the refusal.
 */
export async function refuseChunk(
  context: BrowserContext,
  index: number,
  answer: { status: number; error: { code: string; message: string } },
  refusing: () => boolean,
) {
  await context.route('**/api/batches/*/chunks/*', async (route: Route) => {
    const url = route.request().url()
    const indexes = chunkIndexesInUpload(url)
    if (!refusing() || !indexes.includes(index)) return route.continue()
    if (indexes.length === 1) {
      return route.fulfill({
        status: answer.status,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ error: answer.error }),
      })
    }
    const body = route.request().postDataBuffer()!
    const base = url.replace(/\/chunks\/[^/?]+/, '/chunks/')
    const part = async (first: number, last: number) => {
      if (last < first) return []
      const bytes = body.subarray(
        (first - indexes[0]!) * FULL_CHUNK_BYTES,
        last === indexes.at(-1)! ? body.length : (last - indexes[0]! + 1) * FULL_CHUNK_BYTES,
      )
      const response = await route.fetch({ url: `${base}${first}-${last}`, postData: bytes })
      return ((await response.json()) as { results: unknown[] }).results
    }
    const results = [
      ...(await part(indexes[0]!, index - 1)),
      { index, status: answer.status, error: answer.error },
      ...(await part(index + 1, indexes.at(-1)!)),
    ]
    return route.fulfill({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ results }) })
  })
}
