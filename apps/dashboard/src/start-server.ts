import { createLogger, DEFAULT_MAX_UPLOAD_BYTES, DEFAULT_SERVER_LIMITS, RunEventBus, RunProducer, type Logger, type PrismaClient, type ServerLimits } from '@trainyard/experiments';
import { buildApp } from './app.js';
import { bindProblem, tokenProblem } from './loopback.js';
import { ModelCache } from '@trainyard/experiments';

export interface ServerOptions {
  prisma: PrismaClient;
  databaseKind: 'postgres' | 'pglite';
  redisUrl: string;
  prefix?: string;
  host: string;
  port: number;
  token?: string;
  /** With a token, reads are open and only changes need it (TRAINYARD_PUBLIC_READS). */
  publicReads?: boolean;
  /** Host names or addresses requests may be addressed to besides the server's own (TRAINYARD_ALLOWED_HOSTS); `*`: any. */
  allowedHosts?: readonly string[];
  /** Checked at submission; DEFAULT_SERVER_LIMITS when absent. */
  limits?: ServerLimits;
  /** The largest dataset upload (TRAINYARD_MAX_UPLOAD_MB); DEFAULT_MAX_UPLOAD_BYTES (256 MiB) when absent. */
  maxUploadBytes?: number;
  /**
   * Fastify's logger (createLogger from LOG_LEVEL and LOG_PRETTY): a line per request and every
   * 5xx with its cause. Absent (tests, benches): warnings and errors only, as JSON on stdout.
   */
  logger?: Logger;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the API on host:port (127.0.0.1 unless told otherwise; another host only with a token
 * of at least MIN_SHARED_TOKEN_LENGTH characters).
 * The CLI's `up` and `dashboard` call this.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const problem = bindProblem(options.host, options.token) ?? tokenProblem(options.host, options.token);
  if (problem) throw new Error(problem);
  const logger = options.logger ?? createLogger({ level: 'warn', pretty: false });
  const prefix = options.prefix ? { prefix: options.prefix } : {};
  const producer = new RunProducer({ redisUrl: options.redisUrl, ...prefix, logger });
  const bus = new RunEventBus({ redisUrl: options.redisUrl, ...prefix, logger });
  const models = new ModelCache();
  const app = buildApp({ prisma: options.prisma, databaseKind: options.databaseKind, producer, bus, models, token: options.token, publicReads: options.publicReads ?? false, allowedHosts: options.allowedHosts ?? [], host: options.host, limits: options.limits ?? DEFAULT_SERVER_LIMITS, maxUploadBytes: options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES, logger });
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
