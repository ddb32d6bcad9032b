const integer = new Intl.NumberFormat('en-US')

export function formatCount(value: number): string {
  return integer.format(Math.round(value))
}

export function formatPercent(part: number, whole: number): string {
  if (whole <= 0) return '0%'
  return `${Math.floor((part / whole) * 1000) / 10}%`
}

export function formatRate(perSecond: number): string {
  return perSecond > 0 ? `${formatCount(perSecond)}/s` : '–'
}

/** "1:05" for 65 seconds, "1:01:05" past an hour, "–" when unknown. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–'
  const total = Math.ceil(seconds)
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = String(total % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`
}

export function formatPrice(amountMinor: number, currency: string): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(amountMinor / 100)
}

const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' })

/** An ISO time as the reader's local date and time; "–" for none. */
export function formatDateTime(iso: string | null): string {
  if (!iso) return '–'
  const time = new Date(iso)
  return Number.isNaN(time.getTime()) ? iso : dateTime.format(time)
}

/** The message of anything a call threw. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
