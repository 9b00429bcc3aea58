/** How long and how often a write waits for the database to come back. */
export interface StoreRetryPolicy {
  /** Give up (and let BullMQ retry the job) after the database has been away this long. */
  maxWaitMs: number;
  initialDelayMs: number;
  maxDelayMs: number;
  /** Whether an error means "the database is unreachable right now" (StoreError UNAVAILABLE). */
  isTransient: (error: unknown) => boolean;
}

/**
 * Runs `operation`, retrying with exponential backoff while it fails with a transient
 * error, for at most `maxWaitMs`. Other errors, and the last transient one, are thrown.
 */
export async function withStoreRetry<T>(operation: () => Promise<T>, policy: StoreRetryPolicy): Promise<T> {
  const started = Date.now();
  let delay = policy.initialDelayMs;
  for (;;) {
    try {
      return await operation();
    } catch (error) {
      if (!policy.isTransient(error) || Date.now() - started + delay > policy.maxWaitMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, policy.maxDelayMs);
    }
  }
}
