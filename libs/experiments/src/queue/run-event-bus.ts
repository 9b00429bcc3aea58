import type { Redis } from 'ioredis';
import type { Logger } from '../config/logger.js';
import { z } from 'zod';
import { liveRunEventSchema, type LiveRunEvent } from '@trainyard/contract';
import { queueNames, type QueueNames } from './queue-names.js';
import { createRedis } from './redis-connection.js';

/** What a publisher passes: `at` defaults to now. */
export type LiveRunEventInput = Omit<LiveRunEvent, 'at'> & { at?: string };

const cancelSchema = z.object({ runId: z.uuid() });

export interface RunEventBusOptions {
  redisUrl: string;
  prefix?: string;
  /** For what goes wrong outside a caller's command (an UNSUBSCRIBE); callers see their own errors. */
  logger?: Logger;
}

type Unsubscribe = () => Promise<void>;

/** A subscribed channel: its one schema, its handlers, and Redis's answer to the SUBSCRIBE. */
type Channel = { schema: z.ZodType<unknown>; handlers: Set<(parsed: unknown, raw: string) => void>; subscribed: Promise<unknown> };

/**
 * Live run events and cancel requests over Redis pub/sub. Publishing uses a fail-fast
 * connection (a view missing an update is fine; a worker waiting on one is not); the
 * subscriber connection is opened on first use and resubscribes after a Redis restart.
 */
export class RunEventBus {
  readonly names: QueueNames;
  private readonly publisher: Redis;
  private subscriber: Redis | undefined;
  private readonly channels = new Map<string, Channel>();

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
   * Calls `handler` with every well-formed event, and the JSON text it came as, until the
   * returned function is called. Each message is parsed once, however many handlers listen (a
   * server has one per open stream), and every handler gets the same event object.
   */
  subscribe(handler: (event: LiveRunEvent, raw: string) => void): Promise<Unsubscribe> {
    return this.listen(this.names.events, liveRunEventSchema, handler);
  }

  async publishCancel(runId: string): Promise<void> {
    await this.publisher.publish(this.names.cancels, JSON.stringify(cancelSchema.parse({ runId })));
  }

  onCancel(handler: (runId: string) => void): Promise<Unsubscribe> {
    return this.listen(this.names.cancels, cancelSchema, (cancel) => handler(cancel.runId));
  }

  async close(): Promise<void> {
    this.channels.clear();
    this.subscriber?.disconnect();
    this.subscriber = undefined;
    this.publisher.disconnect();
  }

  /** Adds `handler` to the channel, subscribing in Redis for the first; resolves once Redis has subscribed. */
  private async listen<T>(channel: string, schema: z.ZodType<T>, handler: (parsed: T, raw: string) => void): Promise<Unsubscribe> {
    let entry = this.channels.get(channel);
    if (!entry) {
      entry = { schema, handlers: new Set(), subscribed: this.ensureSubscriber().subscribe(channel) };
      this.channels.set(channel, entry);
    }
    // Each channel has one schema (the callers above), so what the entry's schema parsed is a T.
    const each = handler as (parsed: unknown, raw: string) => void;
    entry.handlers.add(each);
    const unsubscribe = async (): Promise<void> => {
      const current = this.channels.get(channel);
      if (!current?.handlers.delete(each) || current.handlers.size > 0) return;
      this.channels.delete(channel);
      await this.subscriber?.unsubscribe(channel).catch((error: unknown) => {
        // Messages still arriving on the channel find no handler and are dropped; Redis is likely away.
        this.options.logger?.warn({ err: error, channel }, 'unsubscribing from a live channel failed');
      });
    };
    // Every caller waits for the SUBSCRIBE, not only the first: a stream that says it is
    // connected misses nothing published after that.
    await entry.subscribed.catch(async (error: unknown) => {
      await unsubscribe();
      throw error;
    });
    return unsubscribe;
  }

  private ensureSubscriber(): Redis {
    if (this.subscriber) return this.subscriber;
    // A subscriber must live through Redis restarts (ioredis resubscribes on reconnect).
    const subscriber = createRedis(this.options.redisUrl, 'worker');
    subscriber.on('message', (channel: string, message: string) => {
      const entry = this.channels.get(channel);
      const parsed = entry ? parseJson(message, entry.schema) : undefined;
      if (!entry || parsed === undefined) return;
      for (const handler of entry.handlers) handler(parsed, message);
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
