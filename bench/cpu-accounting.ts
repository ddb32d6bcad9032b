import { readdirSync, readFileSync } from 'node:fs'

const CLOCK_TICKS_PER_SECOND = 100

/** User + system CPU seconds a process has used so far (all its threads), from /proc. */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND
  } catch {
    return 0 // the process has exited
  }
}

/** Every process whose command line mentions `marker` (Chromium's processes all name the profile dir). */
function pidsMentioning(marker: string): number[] {
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker)) pids.push(Number(entry))
    } catch {
      // gone
    }
  }
  return pids
}

/**
 * CPU used by the server and by the browser between start() and stop(). Chromium's helper
 * processes (renderer, GPU, network) are found by the profile directory on their command lines;
 * a process that exits before stop() loses its last ticks, which undercounts slightly.
 */
export class CpuAccounting {
  #serverStart = 0
  #browserStart = new Map<number, number>()

  constructor(
    private readonly serverPid: number | undefined,
    private readonly browserMarker: string,
  ) {}

  start() {
    this.#serverStart = this.serverPid ? cpuSeconds(this.serverPid) : 0
    for (const pid of pidsMentioning(this.browserMarker)) this.#browserStart.set(pid, cpuSeconds(pid))
  }

  stop(): { serverSeconds: number; browserSeconds: number } {
    const serverSeconds = this.serverPid ? cpuSeconds(this.serverPid) - this.#serverStart : 0
    let browserSeconds = 0
    for (const pid of pidsMentioning(this.browserMarker)) browserSeconds += cpuSeconds(pid) - (this.#browserStart.get(pid) ?? 0)
    return { serverSeconds, browserSeconds }
  }
}
