import { RunEventBus, RunProducer, type PrismaClient } from '@trainyard/experiments';
import { buildApp } from './app.js';
import { bindProblem } from './loopback.js';
import { ModelCache } from './model-cache.js';

export interface ServerOptions {
  prisma: PrismaClient;
  databaseKind: 'postgres' | 'pglite';
  redisUrl: string;
  prefix?: string;
  host: string;
  port: number;
  token?: string;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the API on host:port (127.0.0.1 unless told otherwise; another host only with a token).
 * The CLI's `up` and `dashboard` call this.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const problem = bindProblem(options.host, options.token);
  if (problem) throw new Error(problem);
  const producer = new RunProducer({ redisUrl: options.redisUrl, ...(options.prefix ? { prefix: options.prefix } : {}) });
  const bus = new RunEventBus({ redisUrl: options.redisUrl, ...(options.prefix ? { prefix: options.prefix } : {}) });
  const models = new ModelCache();
  const app = buildApp({ prisma: options.prisma, databaseKind: options.databaseKind, producer, bus, models, token: options.token, host: options.host });
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      await app.close();
      models.dispose();
      await bus.close();
      await producer.close();
    })());
  try {
    const address = await app.listen({ host: options.host, port: options.port });
    return { url: address, close };
  } catch (error) {
    // Port taken, address not available: release the Redis connections before failing.
    await close();
    throw error;
  }
}
