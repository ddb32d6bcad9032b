// The flood of bench/sign-in-flood.ts, in a process of its own so that sending it never delays
// the probes' own event loop: `npx tsx bench/sign-in-attacker.ts URL COUNT SUSTAIN_SECONDS`.
// Sends COUNT sign-ins with unknown usernames at once (each a full password check on the server);
// for SUSTAIN_SECONDS each is sent again as soon as it is answered, ignoring Retry-After. Prints
// `sending` when the first go out, then the answers by status as JSON once every one is in.
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '@boxoffice/tickets'

const [url, countText, sustainText] = process.argv.slice(2)
const count = Number(countText)
const sustainMs = Number(sustainText) * 1000
if (!url || !(count >= 1) || !(sustainMs >= 0)) {
  console.error('usage: npx tsx bench/sign-in-attacker.ts URL COUNT SUSTAIN_SECONDS')
  process.exit(2)
}

const statuses: Record<number, number> = {}
let sent = 0
const until = performance.now() + sustainMs
const attacker = async (lane: number) => {
  do {
    const response = await fetch(`${url}/api/session`, {
      method: 'POST',
      headers: { [CSRF_HEADER]: CSRF_HEADER_VALUE, 'content-type': 'application/json' },
      // A new name each time: the per-name limit (5 per 5 minutes) never trips.
      body: JSON.stringify({ username: `flood-${lane}-${sent++}`, password: 'guess guess guess' }),
    }).catch(() => undefined)
    const status = response?.status ?? 0
    await response?.arrayBuffer()
    statuses[status] = (statuses[status] ?? 0) + 1
  } while (performance.now() < until)
}
console.log('sending')
await Promise.all(Array.from({ length: count }, (_, lane) => attacker(lane)))
console.log(JSON.stringify(statuses))
