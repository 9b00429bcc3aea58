import type { QueueResponse } from '@trainyard/experiments';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.js';

/** Queue counts and the workers connected to it; /healthz for probes. */
export function queueRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get('/api/queue', async (): Promise<QueueResponse> => {
    const [counts, workers] = await Promise.all([deps.producer.counts(), deps.producer.workers()]);
    return { counts, workers: workers.map((w) => ({ id: w.id, name: w.name, ...(w.addr ? { addr: w.addr } : {}) })) };
  });

  app.get('/healthz', async () => {
    const redis = await deps.producer.counts().then(
      () => 'up' as const,
      () => 'down' as const,
    );
    return { ok: true, database: deps.databaseKind, redis };
  });
}
