import { API_ROUTES, type RouteSpec } from '@trainyard/contract';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from './http-errors.js';
import { hostAllowList, originProblem } from './loopback.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** What the request checks need (AppDeps carries them). */
export interface AccessOptions {
  /** TRAINYARD_API_TOKEN: when set, every route but the public ones below needs it. */
  token: string | undefined;
  /** TRAINYARD_PUBLIC_READS: with a token, reads are open and only changes need it. */
  publicReads: boolean;
  /** HOST, the address the server listens on. */
  host: string;
  /** TRAINYARD_ALLOWED_HOSTS (see hostAllowList). */
  allowedHosts: readonly string[];
  /** This machine's names and addresses, for tests; os.hostname() and os.networkInterfaces() otherwise. */
  machine?: () => string[];
}

/**
 * Routes anyone who reaches the server (through the Host check) may use, by method and route
 * pattern: those the contract's route table marks `public` — a probe's health check, what the
 * UI must know before it asks for the token, the OpenAPI document (the API's shape, no data),
 * and clearing the read cookie (harmless; a cross-site page cannot send a DELETE without CORS).
 * The UI's own files (everything outside /api) are public too: the page must load to ask.
 */
const PUBLIC_ROUTES = new Set(
  Object.values(API_ROUTES as Record<string, RouteSpec>)
    .filter((route) => route.public)
    .flatMap((route) => (route.method === 'GET' ? [`GET ${route.path}`, `HEAD ${route.path}`] : [`${route.method} ${route.path}`])),
);

/**
 * Every request (API, UI, event stream, /healthz) must be addressed to one of the server's own
 * names (see hostAllowList), and without a token a change that a browser sends must come from
 * the server's own origin (see originProblem). 403 rather than 421 Misdirected Request, which
 * HTTP clients may retry on another connection: nothing about this request will go better elsewhere.
 */
export function requireAllowedHost(options: AccessOptions) {
  const hostProblem = hostAllowList(options);
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const problem = hostProblem(request.headers.host);
    if (problem) throw new HttpError(403, 'HOST_NOT_ALLOWED', problem);
    if (SAFE_METHODS.has(request.method)) return;
    const crossSite = originProblem(request.headers.origin, request.headers.host, options.token);
    if (crossSite) throw new HttpError(403, 'ORIGIN_NOT_ALLOWED', crossSite);
  };
}

/**
 * The cookie a browser shows for reads that cannot carry a header: EventSource (live events)
 * and `<a download>` (model files). Its value is an HMAC of a fixed label keyed by the token,
 * so the server keeps no sessions, and a new token invalidates every cookie. Its name is
 * derived from the token too: cookies ignore the port, and two servers on one machine (each
 * with its own token) must not overwrite each other's. HttpOnly (no script reads it), SameSite
 * Strict (no other site's page makes the browser send it), Path /api (only the API sees it).
 * It authorizes reads only: a change always needs the Authorization header, so the cookie
 * cannot be used for cross-site request forgery.
 */
export function readCookie(token: string): { name: string; value: string } {
  const mac = (label: string): string => createHmac('sha256', token).update(label).digest('base64url');
  return { name: `trainyard_read_${mac('trainyard read cookie name').slice(0, 12)}`, value: mac('trainyard read cookie v1') };
}

export function setReadCookie(reply: FastifyReply, token: string): void {
  const { name, value } = readCookie(token);
  void reply.header('set-cookie', `${name}=${value}; Path=/api; HttpOnly; SameSite=Strict`);
}

export function clearReadCookie(reply: FastifyReply, token: string): void {
  void reply.header('set-cookie', `${readCookie(token).name}=; Path=/api; HttpOnly; SameSite=Strict; Max-Age=0`);
}

function sameSecret(given: string, expected: Buffer): boolean {
  const bytes = Buffer.from(given);
  return bytes.length === expected.length && timingSafeEqual(bytes, expected);
}

/** The value of cookie `name` in a Cookie header. */
function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

/**
 * With a token configured: every change (POST, PUT, DELETE...) needs `Authorization: Bearer
 * <token>`, and every read under /api needs it or the read cookie, unless reads are public.
 * The UI's files, /healthz and /api/config stay open (PUBLIC_ROUTES). A route the server does
 * not have counts as what its path says, so `/api/nope` is 401, not a 404 that tells a guess
 * from a route.
 */
export function requireToken(options: AccessOptions) {
  const { token, publicReads } = options;
  const bearer = token ? Buffer.from(`Bearer ${token}`) : undefined;
  const cookie = token ? readCookie(token) : undefined;
  const cookieBytes = cookie ? Buffer.from(cookie.value) : undefined;
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    if (!bearer || !cookie || !cookieBytes) return;
    const route = request.routeOptions.url;
    if (route !== undefined && PUBLIC_ROUTES.has(`${request.method} ${route}`)) return;
    const byHeader = sameSecret(request.headers.authorization ?? '', bearer);
    if (!SAFE_METHODS.has(request.method)) {
      if (byHeader) return;
      throw new HttpError(401, 'UNAUTHORIZED', 'this server requires "Authorization: Bearer <token>" for changes (TRAINYARD_API_TOKEN)');
    }
    // The matched route's pattern, or for no route the path itself (query cut off).
    const path = route ?? request.url.split('?')[0] ?? '';
    const underApi = path === '/api' || path.startsWith('/api/');
    if (!underApi || publicReads || byHeader) return;
    const given = cookieValue(request.headers.cookie, cookie.name);
    if (given !== undefined && sameSecret(given, cookieBytes)) return;
    throw new HttpError(401, 'UNAUTHORIZED', 'this server requires "Authorization: Bearer <token>" (TRAINYARD_API_TOKEN) for reads as well as changes');
  };
}
