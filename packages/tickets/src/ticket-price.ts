import type { Price } from './schemas.ts'

/**
 * `45.00 EUR`: the price as printed on tickets and written to CSV. `amountMinor` is in hundredths
 * of the currency unit, as the web form enters it. Integer arithmetic, so no rounding can creep in.
 */
export function formatTicketPrice({ amountMinor, currency }: Price): string {
  const whole = Math.floor(amountMinor / 100)
  const hundredths = String(amountMinor % 100).padStart(2, '0')
  return `${whole}.${hundredths} ${currency}`
}
