import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.js';
import { isLoopback } from '../loopback.js';

/** What the web UI needs to know of this server before it offers changes. */
export interface ConfigResponse {
  /** Changes need `Authorization: Bearer <token>` (TRAINYARD_API_TOKEN). */
  tokenRequired: boolean;
  /** The address the server listens on. */
  host: string;
  /** Bound to a loopback address only: no one else on the network reaches it. */
  local: boolean;
}

/** GET /api/config. */
export function configRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get('/api/config', async (): Promise<ConfigResponse> => {
    const host = deps.host ?? '127.0.0.1';
    return { tokenRequired: deps.token !== undefined, host, local: isLoopback(host) };
  });
}
