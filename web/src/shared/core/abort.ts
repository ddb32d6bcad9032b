/**
 * An AbortController of its own that also aborts, with the same reason, when `parent` does (at
 * once if it already has). Call `unlink()` when done with it, so that a long-lived parent does not
 * keep a listener, and the controller, for every child it ever had.
 */
export function linkedAbortController(parent: AbortSignal): { controller: AbortController; unlink: () => void } {
  const controller = new AbortController()
  const forward = () => controller.abort(parent.reason)
  if (parent.aborted) forward()
  else parent.addEventListener('abort', forward, { once: true })
  return { controller, unlink: () => parent.removeEventListener('abort', forward) }
}

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
