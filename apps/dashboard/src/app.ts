import Fastify, { type FastifyInstance } from 'fastify';
import type { AppDeps } from './app-deps.js';
import { requireLoopbackHost, requireToken } from './auth.js';
import { toHttpError } from './http-errors.js';
import { configRoutes } from './routes/config.routes.js';
import { eventsRoutes } from './routes/events.routes.js';
import { experimentsRoutes } from './routes/experiments.routes.js';
import { modelRoutes } from './routes/model.routes.js';
import { queueRoutes } from './routes/queue.routes.js';
import { runsRoutes } from './routes/runs.routes.js';
import { sweepsRoutes } from './routes/sweeps.routes.js';
import { webRoutes } from './web-static.js';

/** Request bodies above this are refused (413): a definition or a sweep is a few kilobytes. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/** The HTTP API. Every input is parsed with zod at the route; every error goes through toHttpError. */
export function buildApp(deps: AppDeps): FastifyInstance {
  const app = Fastify({ bodyLimit: BODY_LIMIT_BYTES, logger: false });
  // Before anything else answers, the UI's files and the not-found handler included.
  app.addHook('onRequest', requireLoopbackHost(deps.token));
  app.addHook('onRequest', requireToken(deps.token));
  app.setErrorHandler((error: unknown, _request, reply) => {
    // Fastify's own errors (bad JSON, body too large) carry a status code already.
    const own = error as { statusCode?: unknown; code?: unknown; message?: unknown };
    if (typeof own.statusCode === 'number' && own.statusCode < 500) {
      const code = typeof own.code === 'string' ? own.code : 'BAD_REQUEST';
      return reply.code(own.statusCode).send({ error: { code, message: String(own.message) } });
    }
    const { status, body } = toHttpError(error);
    return reply.code(status).send(body);
  });
  runsRoutes(app, deps);
  modelRoutes(app, deps);
  experimentsRoutes(app, deps);
  queueRoutes(app, deps);
  eventsRoutes(app, deps);
  sweepsRoutes(app, deps);
  configRoutes(app, deps);
  // Last: its not-found handler answers the UI's client-side routes with index.html.
  webRoutes(app);
  return app;
}
