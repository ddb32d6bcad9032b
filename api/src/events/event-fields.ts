// What the schema cannot check of an event's fields: that the time zone exists and the start is a
// time on a calendar.
import { InvalidRequest } from '../errors.ts'

/** Throws INVALID_REQUEST naming the field unless `timeZone` is an IANA zone this server knows. */
export function assertTimeZone(timeZone: string, field: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone })
  } catch {
    throw new InvalidRequest(
      `${field} ${JSON.stringify(timeZone)} is not a time zone this server knows (use an IANA name such as Europe/Berlin)`,
    )
  }
}

/** Throws INVALID_REQUEST naming the field unless `startsAt` (YYYY-MM-DDTHH:MM, as the schema checked) is a real date and time. */
export function assertLocalDateTime(startsAt: string, field: string): void {
  const [year, month, day, hour, minute] = startsAt.split(/[-T:]/).map(Number) as [number, number, number, number, number]
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute))
  const same =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute
  if (!same) throw new InvalidRequest(`${field} ${JSON.stringify(startsAt)} is not a valid date and time`)
}
