import type { PrismaClient, RunEventBus, RunProducer } from '@trainyard/experiments';
import type { ModelCache } from './model-cache.js';

/** What the routes use; built once by startServer (or by a test). */
export interface AppDeps {
  prisma: PrismaClient;
  databaseKind: 'postgres' | 'pglite';
  producer: RunProducer;
  bus: RunEventBus;
  models: ModelCache;
  /** When set, changes need `Authorization: Bearer <token>`. */
  token: string | undefined;
  /** The address the server listens on (GET /api/config tells the UI); 127.0.0.1 when absent. */
  host?: string;
}
