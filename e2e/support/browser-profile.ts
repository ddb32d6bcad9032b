import { mkdtempSync, readlinkSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BrowserContext, BrowserType, LaunchOptions, Page } from '@playwright/test'

/**
 * A Chromium profile on disk (a persistent context) that a test can close or kill and open again,
 * the way a box office's browser is shut down or crashes and is started again. Unlike Playwright's
 * default incognito context, its IndexedDB and cookies live in files and outlast the browser.
 */
export class BrowserProfile {
  readonly directory = mkdtempSync(join(tmpdir(), 'boxoffice-e2e-profile-'))
  #context: BrowserContext | undefined

  constructor(
    private readonly chromium: BrowserType,
    private readonly options: LaunchOptions & { baseURL: string },
  ) {}

  /** Starts the browser on this profile and returns its first page. */
  async launch(): Promise<{ context: BrowserContext; page: Page }> {
    if (this.#context) throw new Error('the profile is already open')
    const context = await this.chromium.launchPersistentContext(this.directory, this.options)
    this.#context = context
    context.once('close', () => {
      if (this.#context === context) this.#context = undefined
    })
    const page = context.pages()[0] ?? (await context.newPage())
    return { context, page }
  }

  /** Closes the browser the orderly way: what it holds in memory is written out first. */
  async close(): Promise<void> {
    await this.#context?.close()
    this.#context = undefined
  }

  /**
   * Kills the browser's main process with SIGKILL, as a crash or a power cut to the app would:
   * nothing is flushed, IndexedDB transactions that had not committed are lost. Its process id
   * comes from the profile's `SingletonLock`, a symlink to `<hostname>-<pid>`.
   */
  async kill(): Promise<void> {
    const context = this.#context
    if (!context) throw new Error('the profile is not open')
    const pid = Number(readlinkSync(join(this.directory, 'SingletonLock')).split('-').pop())
    if (!Number.isInteger(pid) || pid <= 0) throw new Error(`no browser process id in ${this.directory}/SingletonLock`)
    const closed = new Promise((resolve) => context.once('close', resolve))
    process.kill(pid, 'SIGKILL')
    await closed
    this.#context = undefined
  }

  async dispose(): Promise<void> {
    await this.close().catch(() => {})
    rmSync(this.directory, { recursive: true, force: true })
  }
}
