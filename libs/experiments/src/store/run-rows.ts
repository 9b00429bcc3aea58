import type { Prisma } from './prisma-client.js';
import type { Reproduction, RunDetail, RunEnv, RunListItem, RunRelease } from './store-types.js';

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
  experiment: { select: { name: true, dataset: true, sweepId: true, sweep: { select: { name: true } } } },
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
  const { experiment, testMetrics, reproduction, ...run } = row;
  return {
    ...run,
    name: experiment.name,
    dataset: experiment.dataset,
    sweepId: experiment.sweepId,
    sweepName: experiment.sweep?.name ?? null,
    testMetrics: testMetrics as Record<string, number> | null,
    reproduction: reproduction as Reproduction | null,
  };
}

export function toDetail(row: DetailRow): RunDetail {
  const { experiment, env, releases, summary, evaluation, samples, predictions, weights, ...rest } = row;
  return {
    ...rest,
    ...toListItem(row),
    definition: experiment.definition,
    specHash: experiment.specHash,
    trialKey: experiment.trialKey,
    params: experiment.params,
    env: env as RunEnv | null,
    releases: (releases as RunRelease[] | null) ?? [],
    summary: summary as RunDetail['summary'],
    evaluation: evaluation as RunDetail['evaluation'],
    samples: samples as RunDetail['samples'],
    predictions: predictions as RunDetail['predictions'],
    weights: weights as RunDetail['weights'],
  };
}
