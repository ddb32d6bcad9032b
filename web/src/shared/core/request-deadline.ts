import { linkedAbortController } from './abort.ts'

/**
 * A signal that aborts when `signal` does or after `ms`, whichever comes first, and lets go of
 * both once `release()` is called. `AbortSignal.any([signal, AbortSignal.timeout(ms)])` would do
 * the first part, but each timeout's timer and signals then live on for the whole `ms` after the
 * request has finished: at a hundred requests a second and a 30 s timeout, thousands of them.
 */
export function requestDeadline(signal: AbortSignal, ms: number): { signal: AbortSignal; release: () => void } {
  const { controller, unlink } = linkedAbortController(signal)
  const timer = setTimeout(() => controller.abort(new DOMException(`no answer within ${ms / 1000} s`, 'TimeoutError')), ms)
  return {
    signal: controller.signal,
    release() {
      clearTimeout(timer)
      unlink()
    },
  }
}
