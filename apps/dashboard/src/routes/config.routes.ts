import type { FastifyInstance } from 'fastify';
import { registerRoute } from '../register-route.js';
import type { AppDeps } from '../app-deps.js';
import { isLoopback } from '../loopback.js';

/** GET /api/config. */
export function configRoutes(app: FastifyInstance, deps: AppDeps): void {
  registerRoute(app, 'config', async () => {
    const host = deps.host ?? '127.0.0.1';
    return { tokenRequired: deps.token !== undefined, publicReads: deps.token !== undefined && deps.publicReads, host, local: isLoopback(host) };
  });
}
