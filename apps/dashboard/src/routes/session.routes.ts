import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.js';
import { clearReadCookie, setReadCookie } from '../auth.js';
import { registerRoute } from '../register-route.js';

/**
 * The read cookie of a browser tab (see readCookie in auth.ts): what EventSource and model
 * download links show, since neither can send an Authorization header.
 *
 * - POST /api/session, a change and so only with `Authorization: Bearer <token>`: sets it (204).
 * - GET /api/session: 200 when this request may read (the header or a valid cookie), 401 otherwise;
 *   how the UI learns whether another tab already left a valid cookie.
 * - DELETE /api/session: clears it; needs nothing.
 *
 * Without a token there is nothing to prove: each answers 204/200 and sets no cookie.
 */
export function sessionRoutes(app: FastifyInstance, deps: AppDeps): void {
  registerRoute(app, 'openSession', async (_input, _request, reply) => {
    if (deps.token) setReadCookie(reply, deps.token);
    return reply.code(204).send();
  });
  registerRoute(app, 'checkSession', async () => ({ reads: true as const }));
  registerRoute(app, 'closeSession', async (_input, _request, reply) => {
    if (deps.token) clearReadCookie(reply, deps.token);
    return reply.code(204).send();
  });
}
