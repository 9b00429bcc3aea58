import type { Redis } from 'ioredis';
import { z } from 'zod';
import { liveRunEventSchema, type LiveRunEvent } from '../api/api-contract.js';
import { queueNames, type QueueNames } from './queue-names.js';
import { createRedis } from './redis-connection.js';

/** What a publisher passes: `at` defaults to now. */
export type LiveRunEventInput = Omit<LiveRunEvent, 'at'> & { at?: string };

const cancelSchema = z.object({ runId: z.uuid() });

export interface RunEventBusOptions {
  redisUrl: string;
  prefix?: string;
}

type Unsubscribe = () => Promise<void>;

/**
 * Live run events and cancel requests over Redis pub/sub. Publishing uses a fail-fast
 * connection (a view missing an update is fine; a worker waiting on one is not); the
 * subscriber connection is opened on first use and resubscribes after a Redis restart.
 */
export class RunEventBus {
  readonly names: QueueNames;
  private readonly publisher: Redis;
  private subscriber: Redis | undefined;
  private readonly handlers = new Map<string, Set<(message: string) => void>>();
  private readonly eventHandlers = new Set<(event: LiveRunEvent) => void>();
  /** Set while anyone listens to events: the one channel listener that parses and fans out. */
  private stopEvents: Promise<Unsubscribe> | undefined;

  constructor(private readonly options: RunEventBusOptions) {
    this.names = queueNames(options.prefix);
    this.publisher = createRedis(options.redisUrl, 'producer');
  }

  async publish(event: LiveRunEventInput): Promise<void> {
    const metrics = event.metrics ? finiteOnly(event.metrics) : undefined;
    const parsed = liveRunEventSchema.parse({ ...event, ...(metrics ? { metrics } : {}), at: event.at ?? new Date().toISOString() });
    await this.publisher.publish(this.names.events, JSON.stringify(parsed));
  }

  /**
   * Calls `handler` with every well-formed event until the returned function is called. Each
   * message is parsed once, however many handlers listen (a server has one per open stream),
   * and every handler gets the same event object.
   */
  async subscribe(handler: (event: LiveRunEvent) => void): Promise<Unsubscribe> {
    this.eventHandlers.add(handler);
    this.stopEvents ??= this.listen(this.names.events, (message) => {
      const event = parseJson(message, liveRunEventSchema);
      if (event) for (const each of this.eventHandlers) each(event);
    });
    await this.stopEvents;
    return async () => {
      if (!this.eventHandlers.delete(handler) || this.eventHandlers.size > 0) return;
      const stop = this.stopEvents;
      this.stopEvents = undefined;
      await (await stop)?.();
    };
  }

  async publishCancel(runId: string): Promise<void> {
    await this.publisher.publish(this.names.cancels, JSON.stringify(cancelSchema.parse({ runId })));
  }

  onCancel(handler: (runId: string) => void): Promise<Unsubscribe> {
    return this.listen(this.names.cancels, (message) => {
      const cancel = parseJson(message, cancelSchema);
      if (cancel) handler(cancel.runId);
    });
  }

  async close(): Promise<void> {
    this.handlers.clear();
    this.eventHandlers.clear();
    this.stopEvents = undefined;
    this.subscriber?.disconnect();
    this.subscriber = undefined;
    this.publisher.disconnect();
  }

  private async listen(channel: string, handler: (message: string) => void): Promise<Unsubscribe> {
    const subscriber = this.ensureSubscriber();
    let set = this.handlers.get(channel);
    if (!set) {
      set = new Set();
      this.handlers.set(channel, set);
      await subscriber.subscribe(channel);
    }
    set.add(handler);
    return async () => {
      const current = this.handlers.get(channel);
      if (!current?.delete(handler) || current.size > 0) return;
      this.handlers.delete(channel);
      await this.subscriber?.unsubscribe(channel).catch(() => undefined);
    };
  }

  private ensureSubscriber(): Redis {
    if (this.subscriber) return this.subscriber;
    // A subscriber must live through Redis restarts (ioredis resubscribes on reconnect).
    const subscriber = createRedis(this.options.redisUrl, 'worker');
    subscriber.on('message', (channel: string, message: string) => {
      for (const handler of this.handlers.get(channel) ?? []) handler(message);
    });
    this.subscriber = subscriber;
    return subscriber;
  }
}

function finiteOnly(metrics: Record<string, number>): Record<string, number> {
  // JSON has no NaN or Infinity; a diverging run's last metrics are dropped, not sent as null.
  return Object.fromEntries(Object.entries(metrics).filter(([, value]) => Number.isFinite(value)));
}

function parseJson<T>(message: string, schema: z.ZodType<T>): T | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(message));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
