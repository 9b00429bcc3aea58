import { MAX_QUEUE_ORPHAN_RUNS, MAX_QUEUE_RUNS_PER_WORKER, RunRepository } from '@trainyard/experiments';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.js';
import { listedWorkers, toQueueResponse } from '../queue-views.js';
import { registerRoute } from '../register-route.js';

/** Queue counts, the workers connected to it with their current runs; /healthz for probes. */
export function queueRoutes(app: FastifyInstance, deps: AppDeps): void {
  const runs = new RunRepository(deps.prisma);

  registerRoute(app, 'queue', async () => {
    const [counts, connected] = await Promise.all([deps.producer.counts(), deps.producer.workers()]);
    const listed = listedWorkers(connected);
    // Which worker trains what is on the runs' records: workerId = the BullMQ worker name.
    const running = await runs.runningByWorker({
      workerIds: listed.map((worker) => worker.name),
      connectedWorkerIds: connected.map((worker) => worker.name),
      perWorker: MAX_QUEUE_RUNS_PER_WORKER,
      orphanLimit: MAX_QUEUE_ORPHAN_RUNS,
    });
    return toQueueResponse(counts, connected, listed, running);
  });

  registerRoute(app, 'health', async () => {
    const redis = await deps.producer.counts().then(
      () => 'up' as const,
      () => 'down' as const,
    );
    return { ok: true as const, database: deps.databaseKind, redis };
  });
}
