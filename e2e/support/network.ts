import type { BrowserContext } from '@playwright/test'

/** Delays every chunk upload by `ms`, so that a test can act in the middle of an upload. */
export async function slowChunkUploads(context: BrowserContext, ms: number, options: { while?: () => boolean } = {}) {
  await context.route('**/api/batches/*/chunks/*', async (route) => {
    if (options.while?.() ?? true) await new Promise((resolve) => setTimeout(resolve, ms))
    // The page may be gone (closed, reloaded) by the time the delay is over.
    await route.continue().catch(() => {})
  })
}
