export interface NetworkProfile {
  name: string
  latencyMs: number
  uploadBitsPerSecond: number
  downloadBitsPerSecond: number
}

/** Box-office Wi-Fi: 40 ms latency, 20 Mbit/s up. */
export const BOX_OFFICE_WIFI: NetworkProfile = {
  name: 'box-office Wi-Fi (40 ms, 20 Mbit/s up)',
  latencyMs: 40,
  uploadBitsPerSecond: 20_000_000,
  downloadBitsPerSecond: 50_000_000,
}

/** Poor Wi-Fi: a crowded venue's network, 150 ms latency, 4 Mbit/s up, 10 down. */
export const POOR_WIFI: NetworkProfile = {
  name: 'poor Wi-Fi (150 ms, 4 Mbit/s up, 10 down)',
  latencyMs: 150,
  uploadBitsPerSecond: 4_000_000,
  downloadBitsPerSecond: 10_000_000,
}

export interface Scenario {
  id: string
  quantity: number
  network?: NetworkProfile
  /** The baseline is too slow for a million tickets; it is skipped there. */
  baseline: boolean
  /** Also time the CSV and PDF exports of one of its completed batches. */
  exports?: boolean
}

export const SCENARIOS: Scenario[] = [
  { id: 'loopback-10k', quantity: 10_000, baseline: true },
  { id: 'loopback-100k', quantity: 100_000, baseline: true, exports: true },
  { id: 'wifi-10k', quantity: 10_000, network: BOX_OFFICE_WIFI, baseline: true },
  { id: 'poor-wifi-10k', quantity: 10_000, network: POOR_WIFI, baseline: true },
]

export const HUGE_SCENARIO: Scenario = { id: 'loopback-1m', quantity: 1_000_000, baseline: false }
