import { formatTicketNumber, generateBatchKeyPair, signToken } from '@boxoffice/tickets'
import { formatCheckinTime } from '@boxoffice/testkit/browser-protocol'
import { BoxOfficePage, expect, test } from './fixtures.ts'
import type { ApiProcess } from '@boxoffice/testkit/api-process'
import { CheckinDesk, forge } from './support/checkin-desk.ts'
import { batchTokens, serverCheckins } from '@boxoffice/testkit/server-tickets'

// The page shows times in the device's zone; the tests format the server's times the same way.
test.use({ timezoneId: 'UTC' })

const shown = (iso: string) => formatCheckinTime(iso, 'UTC')

/** A small completed batch, generated through the page as staff do, and its tokens by serial. */
async function completedBatch(boxOffice: BoxOfficePage, api: ApiProcess, quantity = 20) {
  await boxOffice.open()
  const batchId = await boxOffice.generate({ quantity, event: 'Spring Gala', ticketType: 'General admission', price: '45.00' })
  await boxOffice.waitForCompleted()
  const tokens = await batchTokens(api.database, batchId)
  expect(tokens).toHaveLength(quantity)
  return { batchId, tokens }
}

test('online: a ticket is Valid once, then Already checked in with the time; garbage and forgeries are Invalid with the reason', async ({
  boxOffice,
  page,
  api,
}) => {
  const { batchId, tokens } = await completedBatch(boxOffice, api)
  const desk = new CheckinDesk(page)
  await desk.open()

  await desk.checkIn(tokens[3]!)
  await expect(desk.result()).toHaveText(/^Valid/)
  await expect(desk.result()).toContainText(formatTicketNumber(batchId, 3))
  await expect(desk.result()).toContainText('Spring Gala')
  await expect(desk.result()).toContainText('General admission')
  await expect(desk.result()).toContainText('45.00 EUR')
  // Ready for the next scan at once.
  await expect(desk.tokenField).toHaveValue('')
  await expect(desk.tokenField).toBeFocused()
  const [first, ...others] = await serverCheckins(api.database, batchId)
  expect(others).toEqual([])
  // The scan's own idempotency key, which the server keeps and never sends back.
  expect(first).toMatchObject({
    serial: 3,
    deviceId: expect.stringMatching(/^web-/),
    idempotencyKey: expect.stringMatching(/^[0-9a-f-]{36}$/),
  })

  await desk.checkIn(tokens[3]!)
  await expect(desk.result()).toHaveText(/^Already checked in/)
  await expect(desk.result()).toContainText(`First checked in at ${shown(first!.checkedInAt)} by this device.`)
  await expect(desk.result()).toContainText(formatTicketNumber(batchId, 3))

  await desk.checkIn('HELLO-THIS-IS-NOT-A-TICKET')
  await expect(desk.result()).toHaveText(/^Invalid/)
  await expect(desk.result()).toContainText('Not a ticket code')

  await desk.checkIn(forge(tokens[4]!))
  await expect(desk.result()).toHaveText(/^Invalid/)
  await expect(desk.result()).toContainText('Forged or altered ticket: the signature does not match')
  // A refused scan records nothing.
  expect((await serverCheckins(api.database, batchId)).map((row) => row.serial)).toEqual([3])
})

test('offline: prepared tickets are checked on this device, synced when the network returns, and a ticket used at another gate shows as a conflict', async ({
  boxOffice,
  page,
  context,
  api,
  apiClient,
}) => {
  // The service worker, IndexedDB and WebCrypto all run under the app's strict CSP.
  const violations: string[] = []
  page.on('console', (message) => /Content.Security.Policy|Refused to/i.test(message.text()) && violations.push(message.text()))
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) =>
      console.error(`Refused to load (CSP ${event.violatedDirective}): ${event.blockedURI}`),
    )
  })
  const { batchId, tokens } = await completedBatch(boxOffice, api)
  // A ticket of last week's event, genuine and completed: this gate must refuse it online and offline.
  const lastWeek = await boxOffice.generate({ quantity: 5, event: 'Winter Ball', ticketType: 'General admission', price: '45.00' })
  await boxOffice.waitForCompleted()
  const [lastWeekToken] = await batchTokens(api.database, lastWeek)
  const desk = new CheckinDesk(page)
  await desk.open()
  await desk.checkIn(lastWeekToken!)
  await expect(desk.result()).toHaveText(/^Invalid/)
  await expect(desk.result()).toContainText('Wrong event: Winter Ball')

  // Another gate lets ticket 5 in, online; this device checks in ticket 0 online.
  const otherGate = await apiClient.post('/api/checkins', { data: { token: tokens[5], deviceId: 'gate-2' } })
  expect((await otherGate.json()).result).toBe('valid')
  await desk.checkIn(tokens[0]!)
  await expect(desk.result()).toHaveText(/^Valid/)
  await desk.prepareForOffline([batchId])

  await context.setOffline(true)
  await expect(desk.connection()).toHaveText(/^Offline/)
  for (const serial of [1, 2, 5]) {
    await desk.checkIn(tokens[serial]!)
    await expect(desk.result()).toContainText(formatTicketNumber(batchId, serial))
    await expect(desk.result()).toHaveText(/^Valid/)
    await expect(desk.result()).toContainText('Offline · pending sync')
  }
  // Scanned again here: this device knows, whether it let the ticket in offline or online.
  for (const serial of [1, 0]) {
    await desk.checkIn(tokens[serial]!)
    await expect(desk.result()).toContainText(formatTicketNumber(batchId, serial))
    await expect(desk.result()).toHaveText(/^Already checked in/)
    await expect(desk.result()).toContainText('by this device')
  }
  // A genuine-looking ticket of a batch this device holds no kit for.
  const stranger = await generateBatchKeyPair()
  await desk.checkIn(await signToken(stranger.privateKey, { batchId: crypto.randomUUID(), serial: 0, ticketType: 'General' }))
  await expect(desk.result()).toHaveText(/^Invalid/)
  await expect(desk.result()).toContainText('Batch not prepared for offline check-in on this device')
  await desk.checkIn(forge(tokens[6]!))
  await expect(desk.result()).toContainText('Forged or altered ticket')
  await desk.checkIn(lastWeekToken!)
  await expect(desk.result()).toHaveText(/^Invalid/)
  await expect(desk.result()).toContainText('Wrong event: Winter Ball')

  await expect(desk.pending()).toHaveText('3 check-ins waiting to sync')
  expect((await serverCheckins(api.database, batchId)).map((row) => row.serial)).toEqual([0, 5])

  await context.setOffline(false)
  await expect(desk.syncCounts()).toHaveText('2 accepted, 1 conflict, 0 invalid')
  await expect(desk.pending()).toHaveText('No check-ins waiting to sync')
  const rows = await serverCheckins(api.database, batchId)
  const otherGateRow = rows.find((row) => row.serial === 5)!
  const conflict = desk
    .conflicts()
    .getByRole('row')
    .filter({ hasText: formatTicketNumber(batchId, 5) })
  await expect(conflict).toHaveCount(1)
  await expect(conflict).toContainText(shown(otherGateRow.checkedInAt))
  await expect(conflict).toContainText('device gate-2')
  await expect(desk.conflicts().getByRole('row')).toHaveCount(2)

  // On the server each ticket entered once: the conflict kept the other gate's check-in.
  expect(rows.map((row) => row.serial)).toEqual([0, 1, 2, 5])
  const thisDevice = rows.find((row) => row.serial === 0)!.deviceId
  expect(thisDevice).toMatch(/^web-/)
  expect(rows.map((row) => row.deviceId)).toEqual([thisDevice, thisDevice, thisDevice, 'gate-2'])
  // Synced from the offline records with the keys each scan got; the other gate sent none.
  expect(rows.map((row) => row.idempotencyKey === null)).toEqual([false, false, false, true])
  expect(new Set(rows.map((row) => row.idempotencyKey)).size).toBe(4)
  expect(violations).toEqual([])
})

test('a revoked ticket is refused online, is reported on sync if let in offline with an old kit, and is refused offline once the kit is refreshed', async ({
  boxOffice,
  page,
  context,
  api,
  apiClient,
}) => {
  const { batchId, tokens } = await completedBatch(boxOffice, api)
  const desk = new CheckinDesk(page)
  await desk.open()
  await desk.prepareForOffline([batchId])

  const revoked = await apiClient.post(`/api/batches/${batchId}/tickets/7/revoke`, { data: { reason: 'refunded' } })
  expect(revoked.status()).toBe(201)
  await desk.checkIn(tokens[7]!)
  await expect(desk.result()).toHaveText(/^Invalid/)
  await expect(desk.result()).toContainText('Revoked ticket')
  await expect(desk.result()).toContainText('refunded')

  // The kit was fetched before the revocation: offline, this device cannot know yet.
  await context.setOffline(true)
  await desk.checkIn(tokens[7]!)
  await expect(desk.result()).toHaveText(/^Valid/)
  await desk.checkIn(tokens[9]!)
  await expect(desk.result()).toContainText(formatTicketNumber(batchId, 9))
  await expect(desk.pending()).toHaveText('2 check-ins waiting to sync')

  await context.setOffline(false)
  await expect(desk.syncCounts()).toHaveText('1 accepted, 0 conflicts, 1 invalid')
  await expect(page.getByRole('table', { name: 'Refused on sync' })).toContainText(formatTicketNumber(batchId, 7))
  await expect(page.getByRole('table', { name: 'Refused on sync' })).toContainText('Revoked ticket')
  // The sync fetched the kit again, with the revocation.
  await expect(page.getByRole('list', { name: 'Prepared batches' })).toContainText('1 revoked')

  await context.setOffline(true)
  await desk.checkIn(tokens[7]!)
  await expect(desk.result()).toHaveText(/^Invalid/)
  await expect(desk.result()).toContainText('Revoked ticket')
  await expect(desk.pending()).toHaveText('No check-ins waiting to sync')
  await context.setOffline(false)
  expect((await serverCheckins(api.database, batchId)).map((row) => row.serial)).toEqual([9])
})

test('a staff gate account prepares, for offline, a batch another account made, and checks its tickets without network', async ({
  boxOffice,
  browser,
  api,
}) => {
  const { batchId, tokens } = await completedBatch(boxOffice, api)
  await api.addAccount('gate1', 'gate-one-password')
  const context = await browser.newContext({ baseURL: api.baseURL, timezoneId: 'UTC' })
  try {
    const page = await context.newPage()
    await page.goto('/')
    await new BoxOfficePage(page).signIn('gate1', 'gate-one-password')
    await expect(page.getByText('Signed in as')).toContainText('gate1')
    const desk = new CheckinDesk(page)
    await desk.open()
    await desk.prepareForOffline([batchId])
    await context.setOffline(true)
    await desk.checkIn(tokens[5]!)
    await expect(desk.result()).toContainText(formatTicketNumber(batchId, 5))
    await expect(desk.result()).toHaveText(/^Valid/)
  } finally {
    await context.close()
  }
})

test('a reload without network keeps the kit and the pending check-ins, which sync once the server is back', async ({
  boxOffice,
  page,
  context,
  api,
}) => {
  const { batchId, tokens } = await completedBatch(boxOffice, api)
  const desk = new CheckinDesk(page)
  await desk.open()
  await desk.prepareForOffline([batchId])

  await context.setOffline(true)
  for (const serial of [1, 2]) {
    await desk.checkIn(tokens[serial]!)
    await expect(desk.result()).toContainText(formatTicketNumber(batchId, serial))
    await expect(desk.result()).toHaveText(/^Valid/)
  }
  // Requests of the service worker itself ignore context.setOffline (microsoft/playwright#2311),
  // so the server goes away too: the reload must come from the worker's cache.
  await api.stop()
  try {
    await page.reload()
    await expect(page.getByRole('heading', { name: 'Check-in', exact: true })).toBeVisible()
    await expect(page.getByText('Opened without network for admin')).toBeVisible()
    await expect(desk.pending()).toHaveText('2 check-ins waiting to sync')
    await expect(page.getByTestId('kit-summary')).toContainText('Prepared for offline check-in:')
    await desk.checkIn(tokens[1]!)
    await expect(desk.result()).toHaveText(/^Already checked in/)
    await desk.checkIn(tokens[3]!)
    await expect(desk.result()).toContainText(formatTicketNumber(batchId, 3))
    await expect(desk.result()).toHaveText(/^Valid/)
    await expect(desk.pending()).toHaveText('3 check-ins waiting to sync')
  } finally {
    await api.start()
  }
  expect(await serverCheckins(api.database, batchId)).toEqual([])

  await context.setOffline(false)
  await expect(desk.syncCounts()).toHaveText('3 accepted, 0 conflicts, 0 invalid')
  await expect(desk.pending()).toHaveText('No check-ins waiting to sync')
  expect((await serverCheckins(api.database, batchId)).map((row) => row.serial)).toEqual([1, 2, 3])
  // Back online, the page is signed in again as before.
  await expect(page.getByText('Signed in as')).toBeVisible()
})

test('where the browser reads QR codes, Scan with camera checks in each code once and releases the camera on close', async ({
  boxOffice,
  page,
  api,
}) => {
  // Desktop Linux Chromium has no BarcodeDetector: a stand-in reads codes the test queues, from a canvas "camera".
  await page.addInitScript(() => {
    const scope = window as unknown as { queuedCodes: string[]; cameraStream?: MediaStream; BarcodeDetector: unknown }
    scope.queuedCodes = []
    scope.BarcodeDetector = class {
      static async getSupportedFormats() {
        return ['ean_13', 'qr_code']
      }
      async detect() {
        const code = scope.queuedCodes.shift()
        return code ? [{ rawValue: code }] : []
      }
    }
    navigator.mediaDevices.getUserMedia = async () => {
      const canvas = document.createElement('canvas')
      canvas.width = 64
      canvas.height = 48
      const context = canvas.getContext('2d')!
      setInterval(() => context.fillRect(0, 0, Math.random() * 64, 48), 50)
      scope.cameraStream = canvas.captureStream(10)
      return scope.cameraStream
    }
  })
  const { batchId, tokens } = await completedBatch(boxOffice, api)
  const desk = new CheckinDesk(page)
  await desk.open()
  const checkinRequests: string[] = []
  page.on(
    'request',
    (request) => request.method() === 'POST' && request.url().endsWith('/api/checkins') && checkinRequests.push(request.postData() ?? ''),
  )

  await page.getByRole('button', { name: 'Scan with camera' }).click()
  await expect(page.getByLabel('Camera view')).toBeVisible()
  // The same code in frame after frame, then another.
  await page.evaluate(([a, b]) => (window as unknown as { queuedCodes: string[] }).queuedCodes.push(a!, a!, a!, b!), [tokens[0], tokens[1]])
  await expect(desk.result()).toContainText(formatTicketNumber(batchId, 1))
  await expect(desk.result()).toHaveText(/^Valid/)
  expect(checkinRequests.map((body) => JSON.parse(body).token)).toEqual([tokens[0], tokens[1]])
  expect((await serverCheckins(api.database, batchId)).map((row) => row.serial)).toEqual([0, 1])

  await page.getByRole('button', { name: 'Close camera' }).click()
  await expect(page.getByLabel('Camera view')).toHaveCount(0)
  const released = await page.evaluate(() =>
    (window as unknown as { cameraStream: MediaStream }).cameraStream.getTracks().every((track) => track.readyState === 'ended'),
  )
  expect(released).toBe(true)
})
