import { createLogger } from '@trainyard/experiments';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { AppDeps } from './app-deps.js';
import { requireAllowedHost, requireToken } from './auth.js';
import { toHttpError } from './http-errors.js';
import { registerJsonBodyParser } from './json-body.js';
import { configRoutes } from './routes/config.routes.js';
import { datasetsRoutes } from './routes/datasets.routes.js';
import { eventsRoutes } from './routes/events.routes.js';
import { experimentsRoutes } from './routes/experiments.routes.js';
import { modelRoutes } from './routes/model.routes.js';
import { openApiRoutes } from './routes/openapi.routes.js';
import { queueRoutes } from './routes/queue.routes.js';
import { runsRoutes } from './routes/runs.routes.js';
import { sessionRoutes } from './routes/session.routes.js';
import { sweepsRoutes } from './routes/sweeps.routes.js';
import { webRoutes } from './web-static.js';

/** Request bodies above this are refused (413): a definition or a sweep is a few kilobytes. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * The HTTP API. Its routes are the contract's table (API_ROUTES, registered by registerRoute:
 * input parsed before the handler, answers serialized through their schemas); every error
 * goes through toHttpError.
 */
export function buildApp(deps: AppDeps): FastifyInstance {
  // pino (createLogger), one JSON line per entry: one per request (the hook below, instead of
  // Fastify's two) and every 5xx with its cause (the error handler); each carries its reqId.
  // Typed as Fastify's logger so that the instance is the plain FastifyInstance the routes take.
  const logger: FastifyBaseLogger = deps.logger ?? createLogger({ level: 'warn', pretty: false });
  const app = Fastify({ bodyLimit: BODY_LIMIT_BYTES, loggerInstance: logger, logController: new LogController({ disableRequestLogging: true }) });
  // First, so that a request refused by the hooks after it is logged too. On the raw response's
  // 'close', which also comes for streams the route took over (GET /api/events, reply.hijack()).
  app.addHook('onRequest', (request, reply, done) => {
    reply.raw.once('close', () => {
      const ended = reply.raw.writableFinished ? {} : { aborted: true };
      request.log.info({ method: request.method, url: request.url, status: reply.raw.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10, ...ended }, 'request');
    });
    done();
  });
  registerJsonBodyParser(app);
  // Before anything else answers, the UI's files and the not-found handler included.
  const access = { token: deps.token, publicReads: deps.publicReads, host: deps.host ?? '127.0.0.1', allowedHosts: deps.allowedHosts };
  app.addHook('onRequest', requireAllowedHost(access));
  app.addHook('onRequest', requireToken(access));
  app.setErrorHandler((error: unknown, request, reply) => {
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
  datasetsRoutes(app, deps);
  configRoutes(app, deps);
  sessionRoutes(app, deps);
  openApiRoutes(app);
  // Last: its not-found handler answers the UI's client-side routes with index.html.
  webRoutes(app);
  return app;
}
