import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from './http-errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** With a token configured, every change (POST, PUT, DELETE...) needs `Authorization: Bearer <token>`. */
export function requireToken(token: string | undefined) {
  const expected = token ? Buffer.from(`Bearer ${token}`) : undefined;
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    if (!expected || SAFE_METHODS.has(request.method)) return;
    const given = Buffer.from(request.headers.authorization ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new HttpError(401, 'UNAUTHORIZED', 'this server requires "Authorization: Bearer <token>" for changes (TRAINYARD_API_TOKEN)');
    }
  };
}
