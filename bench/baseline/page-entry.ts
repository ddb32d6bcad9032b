// Wires the baseline to a button, so it starts from a real click like the old page did.
import { runOldAlgorithm, type BaselineResult } from './old-algorithm.ts'

interface BaselineState {
  batchId?: string
  result?: BaselineResult
}

const state: BaselineState = {}
;(window as unknown as { baselineState: BaselineState }).baselineState = state

document.addEventListener('click', (event) => {
  const button = (event.target as HTMLElement).closest<HTMLButtonElement>('#baseline-start')
  if (!button) return
  const quantity = Number(button.dataset.quantity)
  const headers = JSON.parse(button.dataset.headers ?? '{}') as Record<string, string>
  void runOldAlgorithm({
    quantity,
    event: 'Baseline night',
    ticketType: 'General admission',
    headers,
    onBatchId: (id) => (state.batchId = id),
  }).then((result) => (state.result = result))
})
