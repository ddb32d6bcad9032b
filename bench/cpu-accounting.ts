import { readdirSync, readFileSync } from 'node:fs'

const CLOCK_TICKS_PER_SECOND = 100

/** User + system CPU seconds a process has used so far (all its threads), from /proc; 0 once it has exited. */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND
  } catch {
    return 0 // the process has exited
  }
}

/** Chromium's process kinds, from `--type=` (and `--utility-sub-type=`) on the command line. */
export type BrowserProcessKind = 'browser' | 'renderer' | 'network' | 'storage' | 'gpu' | 'other'

function kindOf(cmdline: string): BrowserProcessKind {
  const type = /--type=([\w-]+)/.exec(cmdline)?.[1]
  if (!type) return 'browser'
  if (type === 'renderer') return 'renderer'
  if (type === 'gpu-process') return 'gpu'
  if (type === 'utility') {
    if (cmdline.includes('network.mojom.NetworkService')) return 'network'
    if (cmdline.includes('storage.mojom.StorageService')) return 'storage'
  }
  return 'other'
}

/** Every process whose command line mentions `marker` (Chromium's processes all name the profile dir). */
function processesMentioning(marker: string): Map<number, BrowserProcessKind> {
  const found = new Map<number, BrowserProcessKind>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ')
      if (cmdline.includes(marker)) found.set(Number(entry), kindOf(cmdline))
    } catch {
      // gone
    }
  }
  return found
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
    this.#serverStart = this.serverPid ? processCpuSeconds(this.serverPid) : 0
    for (const pid of processesMentioning(this.browserMarker).keys()) this.#browserStart.set(pid, processCpuSeconds(pid))
  }

  stop(): { serverSeconds: number; browserSeconds: number; browserByKind: Partial<Record<BrowserProcessKind, number>> } {
    const serverSeconds = this.serverPid ? processCpuSeconds(this.serverPid) - this.#serverStart : 0
    let browserSeconds = 0
    const browserByKind: Partial<Record<BrowserProcessKind, number>> = {}
    for (const [pid, kind] of processesMentioning(this.browserMarker)) {
      const seconds = processCpuSeconds(pid) - (this.#browserStart.get(pid) ?? 0)
      browserSeconds += seconds
      browserByKind[kind] = (browserByKind[kind] ?? 0) + seconds
    }
    return { serverSeconds, browserSeconds, browserByKind }
  }
}

/** CPU µs per ticket of the server, of the whole browser, and of each kind of browser process. */
export function cpuPerTicket(used: ReturnType<CpuAccounting['stop']>, tickets: number) {
  const micros = (seconds: number) => (seconds * 1e6) / tickets
  const browserByKind = Object.fromEntries(Object.entries(used.browserByKind).map(([kind, seconds]) => [kind, micros(seconds)]))
  return { server: micros(used.serverSeconds), browser: micros(used.browserSeconds), browserByKind }
}

/**
 * CPU seconds of the PostgreSQL backends serving `databaseName` (each names its database on its
 * command line). A backend that exits takes its ticks with it, so measure while the pool is open.
 */
export function databaseCpuSeconds(databaseName: string): number {
  let seconds = 0
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8')
      if (cmdline.startsWith('postgres: ') && cmdline.includes(` ${databaseName} `)) seconds += processCpuSeconds(Number(entry))
    } catch {
      // gone
    }
  }
  return seconds
}
