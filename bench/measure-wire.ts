import { chromium } from '@playwright/test'
import { ADMIN_PASSWORD, ADMIN_USER, type ApiProcess } from '@boxoffice/testkit/api-process'
import { pollUntil } from './browser-session.ts'
import type { WireFigures } from './figures.ts'
import { networkRuleForEveryUrl } from './cdp-probe.ts'
import type { NetworkProfile } from './scenarios.ts'
import { serverBatchState, type ServerAccess } from './server-access.ts'

const CHROMIUM = process.env.BOXOFFICE_CHROMIUM ?? '/usr/bin/chromium'

// As many as the 10,000-ticket scenarios: runs grow over the first round trips, so a short upload would overstate the headers a ticket pays.
const QUANTITY = 10_000

/**
 * Bytes Boxoffice puts on the wire per ticket for chunk uploads, counted on a separate small run
 * through Playwright's request interception (which would slow the timed runs down), under the
 * scenario's network: the adaptive window sizes runs by what the network does, and the bytes a
 * ticket costs follow the run length.
 */
export async function measureWire(api: ApiProcess, access: ServerAccess, network?: NetworkProfile): Promise<WireFigures> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-gpu'],
  })
  try {
    const context = await browser.newContext({ baseURL: api.baseURL })
    const page = await context.newPage()
    if (network) {
      // By rule, as in the timed runs (cdp-probe.ts): it covers the worker's fetches too, whose
      // Network domain Playwright has enabled.
      const cdp = await context.newCDPSession(page)
      await cdp.send('Network.enable')
      await cdp.send(
        'Network.emulateNetworkConditionsByRule' as 'Network.emulateNetworkConditions',
        networkRuleForEveryUrl(network) as never,
      )
    }
    let bodyBytes = 0
    let requestBytes = 0
    let responseBytes = 0
    let requests = 0
    let tickets = 0
    context.on('response', async (response) => {
      if (!/\/api\/batches\/[^/]+\/chunks\//.test(response.url())) return
      const headers = await response.allHeaders()
      const headerBytes = Object.entries(headers).reduce((sum, [name, value]) => sum + name.length + value.length + 4, 0)
      responseBytes += headerBytes + 'HTTP/1.1 200 OK\r\n'.length + 2 + ((await response.body().catch(() => undefined))?.length ?? 0)
    })
    let encoding = 'identity'
    await context.route('**/api/batches/*/chunks/*', async (route) => {
      const request = route.request()
      const body = request.postDataBuffer()
      const headers = await request.allHeaders()
      encoding = headers['content-encoding'] ?? headers['content-type']?.replace(/^application\/(vnd\.boxoffice\.)?/, '') ?? 'identity'
      const headerBytes = Object.entries(headers).reduce((sum, [name, value]) => sum + name.length + value.length + 4, 0)
      const requestLine = `${request.method()} ${new URL(request.url()).pathname} HTTP/1.1\r\n`.length + 2
      requests++
      bodyBytes += body?.length ?? 0
      requestBytes += (body?.length ?? 0) + headerBytes + requestLine
      await route.continue()
    })
    await context.request.post('/api/session', { data: { username: ADMIN_USER, password: ADMIN_PASSWORD }, headers: access.pageHeaders })
    await page.goto('/')
    await page.getByLabel('Event').fill('Wire measurement')
    await page.getByLabel('Quantity').fill(String(QUANTITY))
    await page.getByRole('button', { name: 'Generate tickets' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Continue' }).click() // over 5,000 tickets
    const panel = page.locator('section[data-batch-id]')
    await panel.waitFor()
    const batchId = (await panel.getAttribute('data-batch-id'))!
    await pollUntil(async () => ((await serverBatchState(api, access, batchId)) === 'completed' ? true : undefined), {
      timeoutMs: 120_000,
      what: 'wire run',
    })
    tickets = QUANTITY
    return {
      encoding,
      requestBytesPerTicket: requestBytes / tickets,
      bodyBytesPerTicket: bodyBytes / tickets,
      responseBytesPerTicket: responseBytes / tickets,
      uploadRequests: requests,
      network: network?.name ?? 'loopback',
    }
  } finally {
    await browser.close()
  }
}
