/**
 * A one-producer, one-consumer queue that turns callbacks (epoch ends, batch ends)
 * into an async iterable, so a run reads as a stream of events.
 */
export class EventChannel<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private waiting: (() => void) | undefined;
  private closed = false;

  push(item: T): void {
    if (this.closed) return;
    this.items.push(item);
    this.wake();
  }

  /** Replaces the newest queued item when `replaceable` says so; used to coalesce progress events. */
  pushOrReplace(item: T, replaceable: (queued: T) => boolean): void {
    const last = this.items[this.items.length - 1];
    if (last !== undefined && replaceable(last)) this.items[this.items.length - 1] = item;
    else this.push(item);
  }

  close(): void {
    this.closed = true;
    this.wake();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      const item = this.items.shift();
      if (item !== undefined) {
        yield item;
        continue;
      }
      if (this.closed) return;
      await new Promise<void>((resolve) => {
        this.waiting = resolve;
      });
    }
  }

  private wake(): void {
    const resolve = this.waiting;
    this.waiting = undefined;
    resolve?.();
  }
}
