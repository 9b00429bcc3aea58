import { MAX_QUEUE_WORKERS, type QueueCounts, type QueueResponse, type QueueRunView, type QueueWorkerInfo, type RunningByWorker, type RunningRun } from '@trainyard/experiments';

/** The workers GET /api/queue lists: sorted by name, so rows keep their place between refreshes; at most MAX_QUEUE_WORKERS. */
export function listedWorkers(connected: QueueWorkerInfo[]): QueueWorkerInfo[] {
  return [...connected].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).slice(0, MAX_QUEUE_WORKERS);
}

function toQueueRunView(run: RunningRun): QueueRunView {
  return {
    id: run.id,
    name: run.name,
    currentEpoch: run.currentEpoch,
    epochs: run.epochs,
    heartbeatAt: run.heartbeatAt?.toISOString() ?? null,
    host: run.host,
    workerId: run.workerId,
    startedAt: run.startedAt?.toISOString() ?? null,
    packSize: run.packSize,
  };
}

/** What the runs' records say of a worker: from the run with its newest heartbeat (see queue.routes.ts). */
export interface WorkerLastSeen {
  host: string | null;
  backend: string | null;
  heartbeatAt: Date | null;
}

/** The host part of a default worker name, `host:pid:hex` (start-worker.ts); undefined for a custom name. */
export function hostOfWorkerName(name: string): string | undefined {
  const match = /^(.+):\d+:[0-9a-f]+$/.exec(name);
  return match?.[1];
}

/** The newest of some times, as ISO text. */
function newest(times: (Date | null | undefined)[]): string | null {
  const ms = times.flatMap((t) => (t ? [t.getTime()] : []));
  return ms.length === 0 ? null : new Date(Math.max(...ms)).toISOString();
}

/**
 * The queue's counts, the listed workers each with its runs, and the runs of no connected worker.
 * A worker's host, last heartbeat and backend come from its runs' records (`lastSeen`, keyed by
 * worker name), so that an idle worker shows them too; the host falls back to its default name.
 */
export function toQueueResponse(
  counts: QueueCounts,
  connected: QueueWorkerInfo[],
  listed: QueueWorkerInfo[],
  running: RunningByWorker,
  lastSeen: ReadonlyMap<string, WorkerLastSeen> = new Map(),
): QueueResponse {
  return {
    counts,
    workers: listed.map((worker) => {
      const runs = running.byWorker.get(worker.name);
      const seen = lastSeen.get(worker.name);
      const host = runs?.runs.find((run) => run.host !== null)?.host ?? seen?.host ?? hostOfWorkerName(worker.name) ?? null;
      return {
        name: worker.name,
        addr: worker.addr ?? null,
        connectedSeconds: worker.ageSeconds ?? null,
        host,
        lastHeartbeatAt: newest([seen?.heartbeatAt, ...(runs?.runs.map((run) => run.heartbeatAt) ?? [])]),
        backend: seen?.backend ?? null,
        runs: runs?.runs.map(toQueueRunView) ?? [],
        runsTotal: runs?.total ?? 0,
      };
    }),
    workersTotal: connected.length,
    orphanRuns: { runs: running.orphans.runs.map(toQueueRunView), total: running.orphans.total },
  };
}
