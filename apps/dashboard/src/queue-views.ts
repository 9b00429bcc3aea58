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
  };
}

/** The queue's counts, the listed workers each with its runs, and the runs of no connected worker. */
export function toQueueResponse(counts: QueueCounts, connected: QueueWorkerInfo[], listed: QueueWorkerInfo[], running: RunningByWorker): QueueResponse {
  return {
    counts,
    workers: listed.map((worker) => {
      const runs = running.byWorker.get(worker.name);
      return {
        name: worker.name,
        addr: worker.addr ?? null,
        connectedSeconds: worker.ageSeconds ?? null,
        runs: runs?.runs.map(toQueueRunView) ?? [],
        runsTotal: runs?.total ?? 0,
      };
    }),
    workersTotal: connected.length,
    orphanRuns: { runs: running.orphans.runs.map(toQueueRunView), total: running.orphans.total },
  };
}
