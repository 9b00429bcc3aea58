import { submitRuns } from '@trainyard/experiments';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.js';
import { registerRoute } from '../register-route.js';

/** POST /api/experiments: one definition or a sweep; 400 with field paths, nothing written, when invalid. */
export function experimentsRoutes(app: FastifyInstance, deps: AppDeps): void {
  registerRoute(app, 'submit', ({ body }) => submitRuns(body, { prisma: deps.prisma, queue: deps.producer, limits: deps.limits }));
}
