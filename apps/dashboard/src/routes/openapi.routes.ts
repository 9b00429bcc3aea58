import { openApiDocument } from '@trainyard/experiments';
import type { FastifyInstance } from 'fastify';
import { registerRoute } from '../register-route.js';

/** The version of the HTTP API the document describes (the project's version). */
const API_VERSION = '0.1.0';

/** GET /api/openapi.json: the OpenAPI 3.1 document, generated once from the contract's route table. */
export function openApiRoutes(app: FastifyInstance): void {
  const document = JSON.stringify(openApiDocument(API_VERSION));
  registerRoute(app, 'openapi', async (_input, _request, reply) => reply.type('application/json').send(document));
}
