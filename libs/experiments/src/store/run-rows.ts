import { experimentDefinitionSchema, trialParamsSchema, upgradeRunRecord } from '@trainyard/contract';
import type { Prisma } from './prisma-client.js';
import type { RunDetail, RunListItem } from './store-types.js';

/* The columns lists and details read, and how a Prisma row becomes the plain types callers see. */

export const RUN_LIST_SELECT = {
  id: true,
  status: true,
  experimentId: true,
  seed: true,
  attempt: true,
  currentEpoch: true,
  epochs: true,
  backend: true,
  testMetrics: true,
  queuedAt: true,
  startedAt: true,
  finishedAt: true,
  durationMs: true,
  errorKind: true,
  errorCode: true,
  error: true,
  cancelRequested: true,
  reproducesRunId: true,
  reproduction: true,
  recordVersion: true,
  experiment: { select: { name: true, dataset: true, sweepId: true, params: true, sweep: { select: { name: true } } } },
} as const satisfies Prisma.RunSelect;

export const RUN_DETAIL_SELECT = {
  ...RUN_LIST_SELECT,
  heartbeatAt: true,
  workerId: true,
  host: true,
  env: true,
  datasetHash: true,
  releases: true,
  summary: true,
  evaluation: true,
  samples: true,
  predictions: true,
  weights: true,
  stoppedEarly: true,
  bestEpoch: true,
  experiment: {
    select: { name: true, dataset: true, definition: true, specHash: true, trialKey: true, params: true, sweepId: true, sweep: { select: { name: true } } },
  },
} as const satisfies Prisma.RunSelect;

type ListRow = Prisma.RunGetPayload<{ select: typeof RUN_LIST_SELECT }>;
type DetailRow = Prisma.RunGetPayload<{ select: typeof RUN_DETAIL_SELECT }>;

export function toListItem(row: ListRow): RunListItem {
  const { experiment, testMetrics, reproduction, recordVersion, ...run } = row;
  const record = upgradeRunRecord(recordVersion, { testMetrics, reproduction });
  return {
    ...run,
    name: experiment.name,
    dataset: experiment.dataset,
    sweepId: experiment.sweepId,
    sweepName: experiment.sweep?.name ?? null,
    params: experiment.params === null ? null : trialParamsSchema.parse(experiment.params),
    testMetrics: record.testMetrics,
    reproduction: record.reproduction,
  };
}

export function toDetail(row: DetailRow): RunDetail {
  const { experiment, env, releases, summary, evaluation, samples, predictions, weights, testMetrics, reproduction, ...rest } = row;
  // Every JSON column through the contract's schemas, from the version the row was written with.
  const record = upgradeRunRecord(row.recordVersion, { env, releases, summary, evaluation, samples, predictions, weights, testMetrics, reproduction });
  return {
    ...rest,
    ...toListItem(row),
    definition: experimentDefinitionSchema.parse(experiment.definition),
    specHash: experiment.specHash,
    trialKey: experiment.trialKey,
    env: record.env,
    releases: record.releases,
    summary: record.summary,
    evaluation: record.evaluation,
    samples: record.samples,
    predictions: record.predictions,
    weights: record.weights,
  };
}
