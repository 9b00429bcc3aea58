import Fastify, { type FastifyInstance } from 'fastify';
import type { AppDeps } from './app-deps.js';
import { requireAllowedHost, requireToken } from './auth.js';
import { toHttpError } from './http-errors.js';
import { registerJsonBodyParser } from './json-body.js';
import { configRoutes } from './routes/config.routes.js';
import { eventsRoutes } from './routes/events.routes.js';
import { experimentsRoutes } from './routes/experiments.routes.js';
import { modelRoutes } from './routes/model.routes.js';
import { queueRoutes } from './routes/queue.routes.js';
import { runsRoutes } from './routes/runs.routes.js';
import { sessionRoutes } from './routes/session.routes.js';
import { sweepsRoutes } from './routes/sweeps.routes.js';
import { webRoutes } from './web-static.js';

/** Request bodies above this are refused (413): a definition or a sweep is a few kilobytes. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/** The HTTP API. Every input is parsed with zod at the route; every error goes through toHttpError. */
export function buildApp(deps: AppDeps): FastifyInstance {
  // pino, one JSON line per entry; requests are not logged one by one, errors are (with reqId).
  const app = Fastify({ bodyLimit: BODY_LIMIT_BYTES, logger: { level: 'info' }, disableRequestLogging: true });
  registerJsonBodyParser(app);
  // Before anything else answers, the UI's files and the not-found handler included.
  const access = { token: deps.token, publicReads: deps.publicReads, host: deps.host ?? '127.0.0.1', allowedHosts: deps.allowedHosts };
  app.addHook('onRequest', requireAllowedHost(access));
  app.addHook('onRequest', requireToken(access));
  app.setErrorHandler((error: unknown, request, reply) => {
    // Fastify's own errors (bad JSON, body too large) carry a status code already.
    const own = error as { statusCode?: unknown; code?: unknown; message?: unknown };
    if (typeof own.statusCode === 'number' && own.statusCode < 500) {
      const code = typeof own.code === 'string' ? own.code : 'BAD_REQUEST';
      return reply.code(own.statusCode).send({ error: { code, message: String(own.message) } });
    }
    const { status, body } = toHttpError(error);
    if (status >= 500) {
      request.log.error({ err: error, method: request.method, url: request.url }, `${status} ${body.error.code}`);
      if (body.error.code === 'INTERNAL') body.error.message = `internal error; the server log has it under reqId ${request.id}`;
    }
    return reply.code(status).send(body);
  });
  runsRoutes(app, deps);
  modelRoutes(app, deps);
  experimentsRoutes(app, deps);
  queueRoutes(app, deps);
  eventsRoutes(app, deps);
  sweepsRoutes(app, deps);
  configRoutes(app, deps);
  sessionRoutes(app, deps);
  // Last: its not-found handler answers the UI's client-side routes with index.html.
  webRoutes(app);
  return app;
}
