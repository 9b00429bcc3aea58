import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** The built web UI (`npm run build-web -w @trainyard/dashboard`, also run by the root postinstall). */
const WEB_DIST = fileURLToPath(new URL('../web/dist/', import.meta.url));

/**
 * Serves the web UI: its files, and index.html for every other GET outside /api (the UI
 * routes on the client: /runs/:id, /compare, ...). Without a build, `/` says how to make one.
 */
export function webRoutes(app: FastifyInstance, dist = WEB_DIST): void {
  const built = existsSync(`${dist}index.html`);
  if (built) void app.register(fastifyStatic, { root: dist, wildcard: false, index: ['index.html'] });
  app.setNotFoundHandler((request, reply) => {
    const page = request.method === 'GET' && !request.url.startsWith('/api/') && request.url !== '/api';
    if (page && built) return reply.type('text/html').sendFile('index.html');
    if (page) {
      return reply
        .code(404)
        .type('text/plain')
        .send('The trainyard web UI is not built. Run `npm run build:web` (or `npm run build-web -w @trainyard/dashboard`) and reload.\nThe API is at /api.\n');
    }
    return reply.code(404).send({ error: { code: 'NOT_FOUND', message: `no route ${request.method} ${request.url}` } });
  });
}
