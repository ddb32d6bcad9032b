// The checks every page and state gets (issue: "At the gate, and for everyone"): axe-core finds
// no serious or critical violation, Tab reaches every control, and at phone widths (360–414 px)
// nothing scrolls sideways and every control is a touch target of at least 44 px.
import AxeBuilder from '@axe-core/playwright'
import { expect, type Page } from '@playwright/test'

/** The phone the screenshots are taken at (an iPhone X/11 Pro viewport). */
export const PHONE = { width: 375, height: 812 } as const
/** The narrowest and widest phones the pages are checked at besides it (small Android, iPhone Plus/Max). */
const OTHER_PHONES = [
  { width: 360, height: 740 },
  { width: 414, height: 896 },
] as const

const MIN_TOUCH_TARGET_PX = 44

/**
 * Fails with each serious or critical axe-core violation on the page as it is now, named with its
 * elements, and with each control that Tab does not reach.
 */
export async function expectAccessible(page: Page, state: string) {
  await expectKeyboardReachable(page, state)
  const { violations } = await new AxeBuilder({ page }).analyze()
  const blocking = violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
    )
  expect(blocking, `axe-core on ${state}`).toEqual([])
}

/** Fails if the page scrolls sideways, or names each visible control smaller than 44 × 44 px. */
export async function expectPhoneFriendly(page: Page, state: string) {
  const problems = await page.evaluate((minimum) => {
    const found: string[] = []
    const root = document.documentElement
    if (root.scrollWidth > root.clientWidth) {
      // Name the innermost elements that stick out, so the message says what to fix.
      const wide = [...document.body.querySelectorAll<HTMLElement>('*')].filter(
        (element) =>
          element.getBoundingClientRect().right > root.clientWidth + 1 &&
          ![...element.children].some((child) => child.getBoundingClientRect().right > root.clientWidth + 1),
      )
      const named = wide
        .slice(0, 3)
        .map(
          (element) =>
            `${element.tagName.toLowerCase()}${element.className ? `.${String(element.className).split(' ')[0]}` : ''} "${element.textContent?.trim().slice(0, 30)}"`,
        )
      found.push(`the page is ${root.scrollWidth} px wide in a ${root.clientWidth} px viewport: ${named.join(', ')}`)
    }
    const controls = document.querySelectorAll<HTMLElement>(
      'button, a[href], input:not([type=hidden]), select, textarea, summary, [role=button]',
    )
    for (const control of controls) {
      const box = control.getBoundingClientRect()
      if (box.width === 0 && box.height === 0) continue // not rendered
      const style = getComputedStyle(control)
      if (style.visibility === 'hidden') continue
      // A checkbox or radio counts with its label, which is what a finger presses.
      const label = (control as HTMLInputElement).labels?.[0]
      const target = label && ['checkbox', 'radio'].includes((control as HTMLInputElement).type) ? label.getBoundingClientRect() : box
      if (target.width < minimum || target.height < minimum) {
        const name = control.getAttribute('aria-label') ?? control.textContent?.trim().slice(0, 40) ?? control.tagName
        found.push(`${control.tagName.toLowerCase()} "${name}" is ${Math.round(target.width)}×${Math.round(target.height)} px`)
      }
    }
    return found
  }, MIN_TOUCH_TARGET_PX)
  expect(problems, `phone width, ${state}`).toEqual([])
}

/**
 * Tabs through the page from the top and fails naming each visible, enabled control (or scrollable
 * region) that focus never reached.
 */
export async function expectKeyboardReachable(page: Page, state: string) {
  const count = await page.evaluate(() => {
    const focusable = [
      ...document.querySelectorAll<HTMLElement>(
        'button, a[href], input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])',
      ),
    ].filter((element) => {
      const box = element.getBoundingClientRect()
      return (
        box.width > 0 &&
        box.height > 0 &&
        getComputedStyle(element).visibility !== 'hidden' &&
        !(element as HTMLButtonElement).disabled &&
        !element.closest('[inert]')
      )
    })
    focusable.forEach((element, index) => element.setAttribute('data-keyboard-check', String(index)))
    ;(document.activeElement as HTMLElement | null)?.blur()
    return focusable.length
  })
  const reached = new Set<string>()
  // Two rounds' worth of presses: enough to pass every control once whatever is focused first.
  for (let press = 0; press < count * 2 + 2 && reached.size < count; press++) {
    await page.keyboard.press('Tab')
    const index = await page.evaluate(() => document.activeElement?.getAttribute('data-keyboard-check'))
    if (index) reached.add(index)
  }
  const missed = await page.evaluate(
    (seen) => {
      const elements = [...document.querySelectorAll<HTMLElement>('[data-keyboard-check]')]
      const names = elements
        .filter((element) => !seen.includes(element.getAttribute('data-keyboard-check')!))
        .map(
          (element) =>
            `${element.tagName.toLowerCase()} "${element.getAttribute('aria-label') ?? element.textContent?.trim().slice(0, 40)}"`,
        )
      for (const element of elements) element.removeAttribute('data-keyboard-check')
      return names
    },
    [...reached],
  )
  expect(missed, `keyboard on ${state}: controls Tab does not reach`).toEqual([])
}

/**
 * The phone checks at 360, 375 and 414 px, axe-core at 375, and a screenshot at 375 in
 * reports/screenshots/<name>.png (docs/images holds copies).
 */
export async function checkAtPhoneWidth(page: Page, name: string) {
  for (const phone of OTHER_PHONES) {
    await page.setViewportSize(phone)
    await expectPhoneFriendly(page, `${name} at ${phone.width} px`)
  }
  await page.setViewportSize(PHONE)
  await expectPhoneFriendly(page, name)
  await expectAccessible(page, `${name} at phone width`)
  await page.screenshot({ path: `reports/screenshots/${name}.png`, fullPage: true })
}
