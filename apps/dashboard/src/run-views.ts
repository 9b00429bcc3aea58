import type { EpochListResponse, EpochRow, RunDetail, RunDetailView, RunListItem, RunView, ArtifactInfo } from '@trainyard/experiments';

const iso = (date: Date | null): string | null => date?.toISOString() ?? null;

/** Keras' order: loss first, then the metrics, then their validation twins. */
const METRIC_ORDER = ['loss', 'accuracy', 'macro_f1', 'mae', 'mse', 'rmse', 'r2'];
const rank = (name: string): number => {
  const base = name.startsWith('val_') ? name.slice(4) : name;
  const known = METRIC_ORDER.indexOf(base);
  return (name.startsWith('val_') ? 100 : 0) + (known >= 0 ? known : METRIC_ORDER.length);
};

/**
 * PostgreSQL's jsonb stores object keys in its own order (shortest first), so metrics come
 * back as {r2, mae, loss, ...}; put them back in the order people read them.
 */
export function orderMetrics(metrics: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(metrics).sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0)));
}

/** A store row as the API shows it: ISO dates, the error as one object. */
export function toRunView(run: RunListItem): RunView {
  return {
    id: run.id,
    name: run.name,
    status: run.status,
    experimentId: run.experimentId,
    sweepId: run.sweepId,
    sweepName: run.sweepName,
    dataset: run.dataset,
    seed: run.seed,
    attempt: run.attempt,
    currentEpoch: run.currentEpoch,
    epochs: run.epochs,
    backend: run.backend,
    testMetrics: run.testMetrics ? orderMetrics(run.testMetrics) : null,
    queuedAt: run.queuedAt.toISOString(),
    startedAt: iso(run.startedAt),
    finishedAt: iso(run.finishedAt),
    // Training time as the worker measured it; a run that failed or was cancelled has none, so its wall time.
    durationMs: run.durationMs ?? wallTime(run.startedAt, run.finishedAt),
    error: run.error !== null ? { kind: run.errorKind, code: run.errorCode, message: run.error } : null,
    reproducesRunId: run.reproducesRunId,
    reproduction: run.reproduction,
  };
}

export function toRunDetailView(run: RunDetail, artifacts: ArtifactInfo[]): RunDetailView {
  return {
    ...toRunView(run),
    definition: run.definition,
    datasetHash: run.datasetHash,
    env: run.env,
    host: run.host,
    workerId: run.workerId,
    heartbeatAt: iso(run.heartbeatAt),
    summary: run.summary,
    evaluation: run.evaluation,
    samples: run.samples,
    predictions: run.predictions,
    weights: run.weights,
    stoppedEarly: run.stoppedEarly,
    bestEpoch: run.bestEpoch,
    releases: run.releases,
    artifacts,
  };
}

export function toEpochList(rows: EpochRow[]): EpochListResponse {
  return { epochs: rows.map((row) => ({ epoch: row.epoch, metrics: orderMetrics(row.metrics), durationMs: row.durationMs })) };
}

function wallTime(started: Date | null, finished: Date | null): number | null {
  return started && finished ? finished.getTime() - started.getTime() : null;
}
