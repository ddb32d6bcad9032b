import type { BrowserContext, Page } from '@playwright/test'

declare global {
  interface Window {
    generatedBarValues?: number[]
  }
}

/** Runs in the page: records each value the Generated progress bar takes, from now on. */
function watchGeneratedBar() {
  const values: number[] = []
  window.generatedBarValues = values
  new MutationObserver(() => {
    const value = document.querySelector('[role="progressbar"][aria-labelledby="progress-Generated"]')?.getAttribute('aria-valuenow')
    if (value != null && Number(value) !== values.at(-1)) values.push(Number(value))
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] })
}

/** Records the Generated bar in every page the context opens from now on. */
export async function recordGeneratedBarIn(context: BrowserContext): Promise<void> {
  await context.addInitScript(watchGeneratedBar)
}

/** Records the Generated bar in this page from now on (replacing what it recorded before). */
export async function recordGeneratedBarNow(page: Page): Promise<void> {
  await page.evaluate(watchGeneratedBar)
}

/** Every value the Generated bar showed since recording started, in order. */
export async function generatedBarValues(page: Page): Promise<number[]> {
  return page.evaluate(() => window.generatedBarValues ?? [])
}
