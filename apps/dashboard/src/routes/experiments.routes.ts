import { submitRuns } from '@trainyard/experiments';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.js';

/** POST /api/experiments: one definition or a sweep; 400 with field paths, nothing written, when invalid. */
export function experimentsRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.post('/api/experiments', async (request, reply) => {
    const submitted = await submitRuns(request.body, { prisma: deps.prisma, queue: deps.producer, limits: deps.limits });
    return reply.code(201).send(submitted);
  });
}
