import { expect, test } from './fixtures.ts'
import { expireSession } from './support/sessions.ts'

test('signing in is required, and a wrong password is refused with a clear message', async ({ page }) => {
  await page.goto('/')
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Generate tickets' })).toHaveCount(0)
  await page.getByLabel('Username').fill('admin')
  await page.getByLabel('Password').fill('not-the-password')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('alert')).toHaveText('Wrong username or password.')
  await expect(page.getByRole('button', { name: 'Generate tickets' })).toHaveCount(0)
})

test('a session that expires mid-upload pauses it; signing in again finishes it with nothing lost', async ({
  boxOffice,
  api,
  context,
  page,
  expectServerExact,
}) => {
  // After the first 6 chunks, uploads wait at a gate until the session has expired, so that the
  // expiry lands mid-upload however fast the machine is.
  let openGate = () => {}
  const gate = new Promise<void>((resolve) => (openGate = resolve))
  let sent = 0
  await context.route('**/api/batches/*/chunks/*', async (route) => {
    if (++sent > 6) await gate
    await route.continue().catch(() => {})
  })
  await boxOffice.open()
  const batchId = await boxOffice.generate({ quantity: 2_000 })
  await boxOffice.waitForProgress('Uploaded', 300)

  expect(await expireSession(context, api)).toBe(1)
  openGate()

  await expect(boxOffice.status()).toHaveText(/^Signed out: sign in again to continue/)
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible()
  const stalledAt = await boxOffice.progressValue('Uploaded')
  expect(stalledAt).toBeLessThan(2_000)
  await page.waitForTimeout(1_000)
  expect(await boxOffice.progressValue('Uploaded')).toBeLessThanOrEqual(stalledAt + 400)

  await boxOffice.signIn()
  await boxOffice.waitForCompleted()
  await expect(page.getByRole('button', { name: 'Sign in' })).toHaveCount(0)
  await expectServerExact(batchId, 2_000)
})

test('the app runs under its Content-Security-Policy with no violation', async ({ boxOffice, page, expectServerExact }) => {
  const violations: string[] = []
  page.on('console', (message) => {
    if (/Content.Security.Policy|Refused to/i.test(message.text())) violations.push(message.text())
  })
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) =>
      console.error(`Refused to load (CSP ${event.violatedDirective}): ${event.blockedURI}`),
    )
  })
  const response = await page.goto('/')
  const csp = response!.headers()['content-security-policy']
  expect(csp).toContain("script-src 'self'")
  expect(csp).toContain("worker-src 'self'")
  expect(csp).not.toContain('unsafe-inline')
  await boxOffice.open()
  const batchId = await boxOffice.generate({ quantity: 1_000 })
  await boxOffice.waitForCompleted()
  await expectServerExact(batchId, 1_000)
  expect(violations).toEqual([])
})
