import type { APIResponse, BrowserContext } from '@playwright/test'

/** Delays every chunk upload by `ms`, so that a test can act in the middle of an upload. */
export async function slowChunkUploads(context: BrowserContext, ms: number, options: { while?: () => boolean } = {}) {
  await context.route('**/api/batches/*/chunks/*', async (route) => {
    if (options.while?.() ?? true) await new Promise((resolve) => setTimeout(resolve, ms))
    // The page may be gone (closed, reloaded) by the time the delay is over.
    await route.continue().catch(() => {})
  })
}

export interface TappedAck {
  index: number
  duplicate: boolean
}

/**
 * Passes every chunk upload through the test runner (`route.fetch`), optionally slowed, and
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
      if (tap.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, tap.delayMs))
      await tap.#gate
      let response: APIResponse
      try {
        response = await route.fetch()
      } catch {
        return route.abort('connectionrefused').catch(() => {})
      }
      const ack = response.status() === 200 ? ((await response.json().catch(() => undefined)) as TappedAck | undefined) : undefined
      try {
        await route.fulfill({ response })
      } catch {
        return // the page is gone (closed, killed): it never saw this answer
      }
      if (ack) tap.acks.push({ index: ack.index, duplicate: ack.duplicate })
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
