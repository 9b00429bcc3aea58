import { MAX_QUEUE_ORPHAN_RUNS, MAX_QUEUE_RUNS_PER_WORKER, RunRepository } from '@trainyard/experiments';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.js';
import { listedWorkers, toQueueResponse, type WorkerLastSeen } from '../queue-views.js';
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
    const lastSeen = await workersLastSeen(deps, listed.map((worker) => worker.name));
    return toQueueResponse(counts, connected, listed, running, lastSeen);
  });

  registerRoute(app, 'health', async () => {
    const redis = await deps.producer.counts().then(
      () => 'up' as const,
      () => 'down' as const,
    );
    return { ok: true as const, database: deps.databaseKind, redis };
  });
}

/**
 * Host, backend and newest heartbeat of each named worker, from the run it last reported on
 * (any status, so an idle worker keeps what it last did): the newest heartbeat per worker, then
 * those runs. Two queries, whatever the number of workers.
 */
async function workersLastSeen(deps: AppDeps, workerIds: string[]): Promise<Map<string, WorkerLastSeen>> {
  const seen = new Map<string, WorkerLastSeen>();
  if (workerIds.length === 0) return seen;
  const newest = await deps.prisma.run.groupBy({
    by: ['workerId'],
    where: { workerId: { in: workerIds }, heartbeatAt: { not: null } },
    _max: { heartbeatAt: true },
  });
  const keys = newest.flatMap((row) => (row.workerId !== null && row._max.heartbeatAt !== null ? [{ workerId: row.workerId, heartbeatAt: row._max.heartbeatAt }] : []));
  if (keys.length === 0) return seen;
  const rows = await deps.prisma.run.findMany({ where: { OR: keys }, select: { workerId: true, host: true, backend: true, heartbeatAt: true } });
  for (const row of rows) {
    if (row.workerId === null || seen.has(row.workerId)) continue;
    seen.set(row.workerId, { host: row.host, backend: row.backend, heartbeatAt: row.heartbeatAt });
  }
  return seen;
}
