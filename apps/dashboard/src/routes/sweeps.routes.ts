import { SweepRepository, sweepReport } from '@trainyard/experiments';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.js';
import { registerRoute } from '../register-route.js';

/** Sweeps: the list (paged, newest first, run counts by status) and one sweep's trials, groups of repeats and best trial. */
export function sweepsRoutes(app: FastifyInstance, deps: AppDeps): void {
  const sweeps = new SweepRepository(deps.prisma);

  registerRoute(app, 'listSweeps', async ({ query: { limit, cursor } }) => {
    const page = await sweeps.list({ limit, ...(cursor ? { cursor } : {}) });
    return {
      items: page.items.map((sweep) => ({ id: sweep.id, name: sweep.name, createdAt: sweep.createdAt.toISOString(), runs: sweep.runs })),
      nextCursor: page.nextCursor,
    };
  });

  registerRoute(app, 'getSweep', ({ params: { id }, query: { metric } }) => sweepReport(id, metric, deps.prisma));
}
