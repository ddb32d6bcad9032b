import { defineConfig } from '@playwright/test'

// Debian's Chromium (apt-get install chromium): Playwright's own browser downloads do not work here.
const CHROMIUM = process.env.BOXOFFICE_CHROMIUM ?? '/usr/bin/chromium'
const ALONE = /responsiveness\.spec\.ts$/

export default defineConfig({
  testDir: './e2e',
  // Each test file gets its own API process, SQLite file and ports (see e2e/fixtures.ts), so two
  // files run at once; a file's tests run in order. On 2 cores this took the suite from 9.1 to
  // about 7 minutes: much of it waits on networks made slow or offline, and on restarts.
  fullyParallel: false,
  workers: 2,
  projects: [
    { name: 'e2e', testIgnore: ALONE },
    // Measures the main thread's long tasks, which another browser working beside it causes: it
    // runs after the rest, by itself.
    { name: 'alone', testMatch: ALONE, dependencies: ['e2e'] },
  ],
  timeout: 120_000,
  expect: { timeout: 60_000 },
  retries: 0,
  reporter: [['list'], ['json', { outputFile: 'reports/e2e.json' }]],
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      executablePath: CHROMIUM,
      // The machine has no network beyond loopback: keep Chromium from calling home.
      args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-gpu'],
    },
    trace: 'retain-on-failure',
  },
})
