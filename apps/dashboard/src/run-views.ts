import { orderMetrics, type EpochListResponse, type EpochRow, type RunDetail, type RunDetailView, type RunListItem, type RunView, type ArtifactInfo } from '@trainyard/experiments';

const iso = (date: Date | null): string | null => date?.toISOString() ?? null;

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
    params: run.params,
  };
}

export function toRunDetailView(run: RunDetail, artifacts: ArtifactInfo[], preprocessor?: RunDetailView['preprocessor']): RunDetailView {
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
    recordVersion: run.recordVersion,
    ...(preprocessor ? { preprocessor } : {}),
  };
}

export function toEpochList(rows: EpochRow[]): EpochListResponse {
  return { epochs: rows.map((row) => ({ epoch: row.epoch, metrics: orderMetrics(row.metrics), durationMs: row.durationMs })) };
}

function wallTime(started: Date | null, finished: Date | null): number | null {
  return started && finished ? finished.getTime() - started.getTime() : null;
}
