/** How long and how often a write waits for the database to come back. */
export interface StoreRetryPolicy {
  /** Give up (and let BullMQ retry the job) after the database has been away this long. */
  maxWaitMs: number;
  initialDelayMs: number;
  maxDelayMs: number;
  /** Whether an error means "the database is unreachable right now" (StoreError UNAVAILABLE). */
  isTransient: (error: unknown) => boolean;
  /** Told of each transient failure before the wait that follows it (1 for the first), for a log line. */
  onRetry?: (error: unknown, retry: number) => void;
}

/**
 * Runs `operation`, retrying with exponential backoff while it fails with a transient
 * error, for at most `maxWaitMs`. Other errors, and the last transient one, are thrown.
 */
export async function withStoreRetry<T>(operation: () => Promise<T>, policy: StoreRetryPolicy): Promise<T> {
  const started = Date.now();
  let delay = policy.initialDelayMs;
  let retries = 0;
  for (;;) {
    try {
      return await operation();
    } catch (error) {
      if (!policy.isTransient(error) || Date.now() - started + delay > policy.maxWaitMs) throw error;
      policy.onRetry?.(error, ++retries);
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, policy.maxDelayMs);
    }
  }
}
