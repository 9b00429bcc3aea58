import {
  orderMetrics,
  summarizeSweep,
  sweepIdParamsSchema,
  sweepListQuerySchema,
  sweepQuerySchema,
  SweepRepository,
  type SweepDetailResponse,
  type SweepListResponse,
} from '@trainyard/experiments';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.js';
import { HttpError } from '../http-errors.js';

/** Sweeps: the list (paged, newest first, run counts by status) and one sweep's trials, groups of repeats and best trial. */
export function sweepsRoutes(app: FastifyInstance, deps: AppDeps): void {
  const sweeps = new SweepRepository(deps.prisma);

  app.get('/api/sweeps', async (request): Promise<SweepListResponse> => {
    const { limit, cursor } = sweepListQuerySchema.parse(request.query);
    const page = await sweeps.list({ limit, ...(cursor ? { cursor } : {}) });
    return {
      items: page.items.map((sweep) => ({ id: sweep.id, name: sweep.name, createdAt: sweep.createdAt.toISOString(), runs: sweep.runs })),
      nextCursor: page.nextCursor,
    };
  });

  app.get('/api/sweeps/:id', async (request): Promise<SweepDetailResponse> => {
    const { id } = sweepIdParamsSchema.parse(request.params);
    const { metric } = sweepQuerySchema.parse(request.query);
    const sweep = await sweeps.summary(id);
    if (!sweep) throw new HttpError(404, 'NOT_FOUND', `no sweep ${id}`);
    const trials = sweep.trials.map((trial) => ({ ...trial, testMetrics: trial.testMetrics ? orderMetrics(trial.testMetrics) : null }));
    const summary = summarizeSweep(trials, metric);
    return {
      id: sweep.id,
      name: sweep.name,
      spec: sweep.spec,
      createdAt: sweep.createdAt.toISOString(),
      params: summary.params,
      metric: summary.metric,
      trials,
      groups: summary.groups.map((group) => ({ ...group, metrics: orderMetrics(group.metrics) })),
      best: summary.best,
    };
  });
}
