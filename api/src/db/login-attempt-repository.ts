// Sign-in attempts, counted in the database so that every server instance enforces the same
// limits. An attempt is counted before its password is checked (scrypt takes about 0.3 s), so
// that attempts sent in parallel cannot outrun the limit; a sign-in that succeeds is then
// released, so that staff signing in from one address are not counted against it.

/** At most `max` attempts under `key` within any `windowMs`. */
export interface AttemptLimit {
  key: string
  max: number
  windowMs: number
}

export type AttemptReservation =
  /** Counted under every limit; `release` it if the sign-in succeeds. */
  | { allowed: true; reservation: string }
  /** A limit is reached; nothing was counted. `retryAfterMs`: until its oldest attempt leaves the window. */
  | { allowed: false; key: string; retryAfterMs: number }

export interface LoginAttemptRepository {
  /**
   * Counts one attempt under every limit at once, unless any of them is reached (then none).
   * Atomic across connections and instances: of any number of concurrent callers on a key with
   * `r` attempts left, at most `r` are allowed. Attempts older than their window are forgotten.
   */
  reserve(limits: readonly AttemptLimit[], now: Date): Promise<AttemptReservation>
  /** Un-counts an allowed reservation (the sign-in succeeded). Releasing twice is harmless. */
  release(reservation: string): Promise<void>
}
