import type { RunFigures, StageFigures, WireFigures } from './figures.ts'
import type { ExportFigures } from './measure-export.ts'

const mb = (bytes: number) => (bytes / 1_048_576).toFixed(1)
const rate = (value: number) => Math.round(value).toLocaleString('en-US')

export interface ScenarioResult {
  scenario: string
  quantity: number
  network: string
  runs: number
  boxoffice: RunFigures
  boxofficeRates: number[]
  stages: StageFigures
  baseline?: RunFigures
  baselineRates?: number[]
  ratio?: number
  wire: WireFigures
  exports?: ExportFigures
}

function cpu(run: RunFigures) {
  const { server, browser } = run.cpuMicrosPerTicket
  return `${Math.round(server)} + ${Math.round(browser)}`
}

function heap(figures: { start: number; peak: number; end: number } | undefined) {
  return figures ? `${mb(figures.start)} / ${mb(figures.peak)} / ${mb(figures.end)}` : '–'
}

export function formatTable(results: ScenarioResult[]): string {
  const rows: string[][] = [
    [
      'scenario',
      'impl',
      'end to end t/s',
      'gen+stage t/s',
      'drain t/s',
      'server ingest t/s',
      'page heap MB start/peak/end',
      'worker heap MB start/peak/end',
      'heap growth MB',
      'IndexedDB peak MB',
      'long tasks (max ms)',
      'CPU µs/ticket server+browser',
      'bytes/ticket up (down)',
      'ratio',
    ],
  ]
  for (const result of results) {
    const ours = result.boxoffice
    rows.push([
      result.scenario,
      'boxoffice',
      rate(ours.endToEndRate),
      rate(result.stages.generateStageRate),
      rate(result.stages.drainRate),
      rate(result.stages.serverIngestRate),
      heap(ours.pageHeap),
      heap(ours.workerHeap),
      mb(ours.heapGrowth),
      mb(ours.storagePeakBytes),
      `${ours.longTasks.count} (${Math.round(ours.longTasks.maxMs)})`,
      cpu(ours),
      `${Math.round(result.wire.requestBytesPerTicket)} (${Math.round(result.wire.responseBytesPerTicket)})`,
      result.ratio ? `${result.ratio.toFixed(1)}×` : '–',
    ])
    if (result.baseline) {
      const base = result.baseline
      rows.push([
        result.scenario,
        'baseline',
        rate(base.endToEndRate),
        '–',
        '–',
        '–',
        heap(base.pageHeap),
        '–',
        mb(base.heapGrowth),
        mb(base.storagePeakBytes),
        `${base.longTasks.count} (${Math.round(base.longTasks.maxMs)})`,
        cpu(base),
        '–',
        '1×',
      ])
    }
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)))
  const line = (row: string[]) => `| ${row.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`
  return [line(rows[0]!), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n')
}
