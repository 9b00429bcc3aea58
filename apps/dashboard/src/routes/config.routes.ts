import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.js';
import { isLoopback } from '../loopback.js';

/** What the web UI needs to know of this server before it reads or offers changes. Public: the UI asks before it has a token. */
export interface ConfigResponse {
  /** The server has TRAINYARD_API_TOKEN: changes need `Authorization: Bearer <token>`, and reads too unless `publicReads`. */
  tokenRequired: boolean;
  /** TRAINYARD_PUBLIC_READS: with a token, reads are open and only changes need it. */
  publicReads: boolean;
  /** The address the server listens on. */
  host: string;
  /** Bound to a loopback address only: no one else on the network reaches it. */
  local: boolean;
}

/** GET /api/config. */
export function configRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get('/api/config', async (): Promise<ConfigResponse> => {
    const host = deps.host ?? '127.0.0.1';
    return { tokenRequired: deps.token !== undefined, publicReads: deps.token !== undefined && deps.publicReads, host, local: isLoopback(host) };
  });
}
