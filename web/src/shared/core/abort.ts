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
