import { defineConfig } from '@playwright/test'

// Debian's Chromium (apt-get install chromium): Playwright's own browser downloads do not work here.
const CHROMIUM = process.env.BOXOFFICE_CHROMIUM ?? '/usr/bin/chromium'

export default defineConfig({
  testDir: './e2e',
  // Each test file gets its own API process and SQLite file (see e2e/fixtures.ts).
  fullyParallel: false,
  workers: 1,
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
