// What the load test and the end-to-end tests must do exactly as the page does, taken from the
// page's own code rather than written twice: which failures the browser retries and how long it
// waits (the load test's box offices retry the same way), and how the check-in page writes a time.
export {
  DEFAULT_RETRY_POLICY,
  isRetryable,
  needsSignIn,
  parseRetryAfter,
  retryDelayMs,
  type RequestFailure,
  type RetryPolicy,
} from '../../../web/src/batches/core/retry-policy.ts'
export { formatCheckinTime } from '../../../web/src/checkin/core/checkin-text.ts'
