// The door dashboard's chart, as geometry: one bar per 5 minutes from the first bucket with
// check-ins to the last (gaps drawn as empty slots), scaled to the busiest. Pure, so it is tested.
import { CHECKIN_BUCKET_MINUTES } from '@boxoffice/tickets'

export interface ChartBar {
  start: string
  count: number
  x: number
  width: number
  height: number
}

const BUCKET_MS = CHECKIN_BUCKET_MINUTES * 60_000
/** More slots than this show the newest only: a bar under 2 px says nothing. */
export const MAX_BARS = 144
/** The widest a bar gets, so that the first minutes of a door read as a start, not a wall. */
export const MAX_BAR_WIDTH = 24

export function chartBars(buckets: readonly { start: string; count: number }[], width: number, height: number): ChartBar[] {
  if (buckets.length === 0) return []
  const counts = new Map(buckets.map((bucket) => [Date.parse(bucket.start), bucket.count]))
  const last = Date.parse(buckets.at(-1)!.start)
  const first = Math.max(Date.parse(buckets[0]!.start), last - (MAX_BARS - 1) * BUCKET_MS)
  const slots = Math.round((last - first) / BUCKET_MS) + 1
  const busiest = Math.max(...buckets.map((bucket) => bucket.count))
  const slot = Math.min(width / slots, MAX_BAR_WIDTH)
  return Array.from({ length: slots }, (_, i) => {
    const at = first + i * BUCKET_MS
    const count = counts.get(at) ?? 0
    return { start: new Date(at).toISOString(), count, x: i * slot, width: Math.max(1, slot - 1), height: (count / busiest) * height }
  })
}

/** "HH:MM" of `iso` in the event's time zone. */
export function clockTime(iso: string, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone }).format(new Date(iso))
  } catch {
    return iso.slice(11, 16)
  }
}

/** The chart in words, for screen readers: the total and the busiest 5 minutes. */
export function chartSummary(buckets: readonly { start: string; count: number }[], timeZone: string): string {
  if (buckets.length === 0) return 'No check-ins yet.'
  const total = buckets.reduce((sum, bucket) => sum + bucket.count, 0)
  const busiest = buckets.reduce((top, bucket) => (bucket.count > top.count ? bucket : top))
  return `Check-ins per 5 minutes: ${total.toLocaleString('en-US')} in all, the most (${busiest.count.toLocaleString('en-US')}) from ${clockTime(busiest.start, timeZone)}.`
}

/** When to ask again: every 3 s, backing off to 30 s while requests fail. */
export function nextPollMs(consecutiveFailures: number): number {
  return Math.min(30_000, 3_000 * 2 ** Math.min(consecutiveFailures, 4))
}
