import type { Logger, PrismaClient, RunEventBus, RunProducer, ServerLimits } from '@trainyard/experiments';
import type { ModelCache } from '@trainyard/experiments';

/** What the routes use; built once by startServer (or by a test). */
export interface AppDeps {
  prisma: PrismaClient;
  databaseKind: 'postgres' | 'pglite';
  producer: RunProducer;
  bus: RunEventBus;
  models: ModelCache;
  /** When set, every route but /healthz, /api/config and the UI's files needs it (see auth.ts). */
  token: string | undefined;
  /** TRAINYARD_PUBLIC_READS: with a token, reads are open and only changes need it. */
  publicReads: boolean;
  /** TRAINYARD_ALLOWED_HOSTS: names the Host header may carry besides the server's own (`*`: any). */
  allowedHosts: readonly string[];
  /** What one submitted run may take (time, parameters, memory of a step). */
  limits: ServerLimits;
  /** TRAINYARD_MAX_UPLOAD_MB in bytes: the largest dataset upload (413 past it, nothing kept). */
  maxUploadBytes: number;
  /** The address the server listens on (GET /api/config tells the UI); 127.0.0.1 when absent. */
  host?: string;
  /** Fastify's logger (requests, 5xx with their cause); warnings and errors to stdout when absent. */
  logger?: Logger;
}
