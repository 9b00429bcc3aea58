import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from './http-errors.js';
import { hostProblem, originProblem } from './loopback.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Without a token, every request (API, UI, event stream) must be addressed to a loopback name
 * (see hostProblem), and a change that a browser sends must come from a loopback origin (see
 * originProblem). 403 rather than 421 Misdirected Request, which HTTP clients may retry on
 * another connection: nothing about this request will go better elsewhere.
 */
export function requireLoopbackHost(token: string | undefined) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const problem = hostProblem(request.headers.host, token);
    if (problem) throw new HttpError(403, 'HOST_NOT_ALLOWED', problem);
    if (SAFE_METHODS.has(request.method)) return;
    const crossSite = originProblem(request.headers.origin, token);
    if (crossSite) throw new HttpError(403, 'ORIGIN_NOT_ALLOWED', crossSite);
  };
}

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
