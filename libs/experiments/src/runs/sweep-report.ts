import { orderMetrics, storedSweepSpecSchema, type SweepDetailResponse } from '@trainyard/contract';
import type { PrismaClient } from '../store/prisma-client.js';
import { StoreError } from '../store/store-error.js';
import { summarizeSweep } from './sweep-summary.js';
import { SweepRepository } from '../store/sweep.repository.js';

/**
 * One sweep as the API shows it: its spec, every trial's latest run, the groups of repeats
 * with mean and std per metric, and the best trial by `metric` (default: the first test
 * metric other than loss). NOT_FOUND when there is no such sweep.
 */
export async function sweepReport(sweepId: string, metric: string | undefined, prisma: PrismaClient): Promise<SweepDetailResponse> {
  const sweep = await new SweepRepository(prisma).summary(sweepId);
  if (!sweep) throw new StoreError('NOT_FOUND', `no sweep ${sweepId}`);
  const trials = sweep.trials.map((trial) => ({ ...trial, testMetrics: trial.testMetrics ? orderMetrics(trial.testMetrics) : null }));
  const summary = summarizeSweep(trials, metric);
  return {
    id: sweep.id,
    name: sweep.name,
    spec: storedSweepSpecSchema.parse(sweep.spec),
    createdAt: sweep.createdAt.toISOString(),
    params: summary.params,
    metric: summary.metric,
    trials,
    groups: summary.groups.map((group) => ({ ...group, metrics: orderMetrics(group.metrics) })),
    best: summary.best,
  };
}
