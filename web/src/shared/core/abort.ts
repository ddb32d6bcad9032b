// The one way web/src waits on an AbortSignal: every listener, timer and waiter set up for a wait is
// undone when the wait ends, whichever way it ends, so nothing outlives it. Pure: no I/O.

/** Calls `listener` once when `signal` aborts (at once if it already has); returns how to stop listening. */
export function onAbort(signal: AbortSignal, listener: () => void): () => void {
  if (signal.aborted) {
    listener()
    return () => {}
  }
  signal.addEventListener('abort', listener, { once: true })
  return () => signal.removeEventListener('abort', listener)
}

/**
 * An AbortController of its own that also aborts, with the same reason, when `parent` does (at
 * once if it already has). Call `unlink()` when done with it, so that a long-lived parent does not
 * keep a listener, and the controller, for every child it ever had.
 */
export function linkedAbortController(parent: AbortSignal): { controller: AbortController; unlink: () => void } {
  const controller = new AbortController()
  const unlink = onAbort(parent, () => controller.abort(parent.reason))
  return { controller, unlink }
}

/**
 * Waits until `start` calls the `resolve` it is given, or rejects with `signal.reason` once
 * `signal` aborts (at once if it already has). `start` sets the wait up (a timer, a listener, a
 * place in a queue) and returns how to undo it; that runs exactly once, however the wait ends.
 */
export function abortable<T = void>(signal: AbortSignal, start: (resolve: (value: T) => void) => () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason)
    let settled = false
    let undo: (() => void) | undefined
    const finish = (settle: () => void) => {
      if (settled) return
      settled = true
      stopListening()
      undo?.()
      settle()
    }
    const stopListening = onAbort(signal, () => finish(() => reject(signal.reason)))
    const cleanup = start((value) => finish(() => resolve(value)))
    // `start` may have resolved at once, before its cleanup was known.
    if (settled) cleanup()
    else undo = cleanup
  })
}

/**
 * A signal that aborts when `parent` does or after `ms`, whichever comes first, with a
 * `TimeoutError`; `release()` clears the timer and lets go of `parent`. Call it as soon as the
 * answer has been read. The platform's own timeout signal (AbortSignal's static `timeout`, joined
 * to `signal` with `AbortSignal.any`) would do the first part, but each timeout's timer and signals
 * then live on for the whole `ms` after the request has finished: at a hundred requests a second
 * and a 30 s timeout, thousands of them (the worker's heap peak at a million tickets fell from
 * 17.7 to 11.8 MB without them).
 */
export function deadline(ms: number, parent?: AbortSignal): { signal: AbortSignal; release: () => void } {
  const linked = parent ? linkedAbortController(parent) : { controller: new AbortController(), unlink: () => {} }
  const { controller, unlink } = linked
  const timer = setTimeout(() => controller.abort(new DOMException(`no answer within ${ms / 1000} s`, 'TimeoutError')), ms)
  return {
    signal: controller.signal,
    release() {
      clearTimeout(timer)
      unlink()
    },
  }
}
