// How much the drain sends at once: the chunks each request carries (a run) and the requests in
// flight. Like TCP's congestion window, both grow while requests succeed quickly and shrink when
// they do not, but each answers its own signal:
//   - a lost request (a network error, a timeout) loses a whole run's worth of work and time, so
//     the run halves: on a network that drops a third of requests, runs stay short, as single
//     chunks were before runs existed;
//   - a server that asks for less (429, 503) gets fewer requests at once, halved, never fewer than
//     `minInFlight`;
//   - a request that took far longer per chunk than the best seen (a queue building up on a slow
//     link) halves the run, so acknowledgements keep coming;
//   - a success grows the run, doubling at first (slow start) and by one chunk after the first
//     loss, and adds back one request in flight.
// Runs start at `initialRunChunks`, not at 1, as TCP starts with ten segments: each doubling
// waits for a round trip, which on a 150 ms link is what a 10,000-ticket upload cannot spare.
// Pure: the drain reports each request's outcome and its duration, and reads the window.

export interface UploadWindowSettings {
  /** Chunks in the first runs, before any request has succeeded. */
  initialRunChunks: number
  /** Chunks in a run at most (the API takes up to MAX_RUN_CHUNKS); 1 sends every chunk alone. */
  maxRunChunks: number
  /** Requests in flight at most, and at the start. */
  maxInFlight: number
  /** Requests in flight at least, however busy the server says it is. */
  minInFlight: number
  /** A request slower than this many times the fastest per chunk seen is a sign of a queue. */
  slowFactor: number
  /** …and only when it also took at least this long, so that loopback jitter is not one. */
  slowFloorMs: number
}

export type RequestOutcome =
  | { kind: 'success'; chunks: number; durationMs: number }
  /** The request never got an answer: aborted, refused connection, timed out. */
  | { kind: 'lost' }
  /** The server answered that it is overloaded (429, 503). */
  | { kind: 'busy' }

export class UploadWindow {
  #runChunks: number
  #inFlight: number
  #slowStart = true
  /** The fastest milliseconds per chunk a successful request has taken. */
  #bestMsPerChunk = Infinity

  constructor(private readonly settings: UploadWindowSettings) {
    this.#inFlight = settings.maxInFlight
    this.#runChunks = Math.max(1, Math.min(settings.initialRunChunks, settings.maxRunChunks))
  }

  /** Chunks the next run may carry. */
  get runChunks(): number {
    return this.#runChunks
  }

  /** Requests that may be in flight at once. */
  get inFlight(): number {
    return this.#inFlight
  }

  report(outcome: RequestOutcome): void {
    const { maxRunChunks, maxInFlight, minInFlight } = this.settings
    switch (outcome.kind) {
      case 'lost':
        this.#slowStart = false
        this.#runChunks = Math.max(1, Math.floor(this.#runChunks / 2))
        return
      case 'busy':
        this.#slowStart = false
        this.#inFlight = Math.max(minInFlight, Math.floor(this.#inFlight / 2))
        return
      case 'success': {
        const perChunk = outcome.durationMs / Math.max(1, outcome.chunks)
        const slow = outcome.durationMs >= this.settings.slowFloorMs && perChunk > this.#bestMsPerChunk * this.settings.slowFactor
        this.#bestMsPerChunk = Math.min(this.#bestMsPerChunk, perChunk)
        if (slow) {
          this.#slowStart = false
          this.#runChunks = Math.max(1, Math.floor(this.#runChunks / 2))
          return
        }
        // Only a full run says the window is too small; a short one (the last chunks) says nothing.
        if (outcome.chunks >= this.#runChunks) {
          this.#runChunks = Math.min(maxRunChunks, this.#slowStart ? this.#runChunks * 2 : this.#runChunks + 1)
        }
        this.#inFlight = Math.min(maxInFlight, this.#inFlight + 1)
      }
    }
  }
}
