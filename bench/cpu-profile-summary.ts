// Reads a V8 .cpuprofile (from CDP Profiler.stop or node --cpu-prof) and lists where the time went.

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}

export interface CpuProfile {
  nodes: ProfileNode[]
  startTime: number
  endTime: number
  samples: number[]
  timeDeltas: number[]
}

export interface ProfileLine {
  name: string
  selfMs: number
  share: number
}

function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame
  const file = url ? url.replace(/^.*\/(node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?)?/, '') : ''
  return `${functionName || '(anonymous)'}${file ? ` ${file}:${lineNumber + 1}` : ''}`
}

/** Self time per function (summed over every place it appears), largest first. */
export function selfTimes(profile: CpuProfile): ProfileLine[] {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]))
  const micros = new Map<string, number>()
  profile.samples.forEach((nodeId, i) => {
    const node = byNode.get(nodeId)
    if (!node) return
    const name = frameName(node)
    micros.set(name, (micros.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0))
  })
  const total = [...micros.values()].reduce((sum, value) => sum + value, 0) || 1
  return [...micros.entries()].map(([name, us]) => ({ name, selfMs: us / 1000, share: us / total })).sort((a, b) => b.selfMs - a.selfMs)
}

export function formatSelfTimes(title: string, profile: CpuProfile, top = 20): string {
  const lines = selfTimes(profile)
  const busy = lines.filter((line) => line.name !== '(idle) ' && !line.name.startsWith('(idle)'))
  const busyMs = busy.reduce((sum, line) => sum + line.selfMs, 0)
  const rows = busy
    .slice(0, top)
    .map((line) => `  ${line.selfMs.toFixed(0).padStart(7)} ms  ${((line.selfMs / busyMs) * 100).toFixed(1).padStart(5)} %  ${line.name}`)
  return [`${title}: ${busyMs.toFixed(0)} ms busy of ${((profile.endTime - profile.startTime) / 1000).toFixed(0)} ms`, ...rows].join('\n')
}
