import { chromium } from '@playwright/test'
import { ADMIN_PASSWORD, ADMIN_USER, ApiProcess } from '@boxoffice/testkit/api-process'
import { setUpAccess } from '../server-access.ts'
import { chunksInUpload } from '../../e2e/support/network.ts'
const latency = Number(process.argv[2] ?? 150),
  up = Number(process.argv[3] ?? 4e6),
  quantity = Number(process.argv[4] ?? 10000)
const api = new ApiProcess()
await api.start()
const access = await setUpAccess(api)
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' })
const context = await browser.newContext({ baseURL: api.baseURL })
const page = await context.newPage()
await context.request.post('/api/session', { data: { username: ADMIN_USER, password: ADMIN_PASSWORD }, headers: access.pageHeaders })
await page.goto('/')
const cdp = await context.newCDPSession(page)
await cdp.send('Network.enable')
await cdp.send(
  'Network.emulateNetworkConditionsByRule' as never,
  {
    offline: false,
    matchedNetworkConditions: [{ urlPattern: '', latency, uploadThroughput: up / 8, downloadThroughput: 10e6 / 8 }],
  } as never,
)
const t0 = Date.now()
const starts = new Map<unknown, number>()
const lines: string[] = []
context.on('request', (r) => {
  if (r.url().includes('/api/')) starts.set(r, Date.now() - t0)
})
context.on('requestfinished', (r) => {
  if (r.url().includes('/api/'))
    lines.push(
      `${String(starts.get(r)).padStart(6)} → ${String(Date.now() - t0).padStart(6)}  ${r.method()} ${new URL(r.url()).pathname.replace(/\/api\/batches\/[^/]+/, '…')} ${r.url().includes('/chunks/') ? chunksInUpload(r.url()) : ''}`,
    )
})
context.on('requestfailed', (r) => lines.push(`FAILED ${r.url()} ${r.failure()?.errorText}`))
await page.getByLabel('Event').fill('T')
await page.getByLabel('Quantity').fill(String(quantity))
await page.getByRole('button', { name: 'Generate tickets' }).click()
if (quantity > 5000) await page.getByRole('dialog').getByRole('button', { name: 'Continue' }).click()
await page.locator('tr[data-batch-id]').filter({ hasText: 'completed' }).waitFor({ timeout: 120000 })
console.log(`done in ${Date.now() - t0} ms`)
console.log(lines.join('\n'))
await browser.close()
await api.dispose()
