import { withStoreRetry, type StoreRetryPolicy } from './store-retry.js';

/**
 * Writes one attempt's record in the order the events happened, without holding the
 * training up: while the database is unreachable the writes queue up here and each is
 * retried (epoch 3 is never written before epoch 2, the final status never before the
 * last epoch). A write that answers false means another attempt owns the run now: the
 * rest is dropped and `onLost` is called so the training stops.
 */
export class LedgerWriter {
  private tail: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | undefined;
  private lostOwnership = false;

  constructor(
    private readonly policy: StoreRetryPolicy,
    private readonly onLost: () => void,
    private readonly onFailure: (error: unknown) => void,
  ) {}

  /** Whether a write found that this attempt no longer owns the run. */
  get lost(): boolean {
    return this.lostOwnership;
  }

  push(write: () => Promise<boolean>): void {
    this.tail = this.tail.then(async () => {
      if (this.failure || this.lostOwnership) return;
      try {
        const owned = await withStoreRetry(write, this.policy);
        if (!owned) {
          this.lostOwnership = true;
          this.onLost();
        }
      } catch (error) {
        this.failure = { error };
        this.onFailure(error);
      }
    });
  }

  /** Waits for every queued write; throws the error that stopped them, if any. */
  async flush(): Promise<void> {
    await this.tail;
    if (this.failure) throw this.failure.error;
  }
}
