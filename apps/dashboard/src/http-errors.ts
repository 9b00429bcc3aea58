import { DatasetError } from '@trainyard/data';
import { DefinitionError, QueueError, StoreError, type ApiErrorBody, type ApiErrorCode } from '@trainyard/experiments';
import { TrainingError } from '@trainyard/nn';
import { z } from 'zod';

/** An error the API answers with a status of its own choosing. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Every error class of the libs mapped to an HTTP status, in one place: bad input is 4xx
 * with field paths, a store or queue that cannot be reached is 503, the rest is 500.
 */
export function toHttpError(error: unknown): { status: number; body: ApiErrorBody } {
  const fastify = fastifyClientError(error);
  if (fastify) return fastify;
  if (error instanceof HttpError) return { status: error.status, body: { error: { code: error.code, message: error.message, ...fieldOf(error.message) } } };
  if (error instanceof DefinitionError) {
    return { status: 400, body: { error: { code: error.code, message: 'invalid definition', issues: error.issues } } };
  }
  if (error instanceof z.ZodError) {
    const issues = error.issues.flatMap((i) => {
      const path = i.path.map(String);
      // `?foo=1`: name the unknown field itself, as the definition's errors do.
      if (i.code === 'unrecognized_keys') return i.keys.map((key) => ({ path: [...path, key].join('.'), message: 'unknown field' }));
      return [{ path: path.join('.'), message: i.message }];
    });
    return { status: 400, body: { error: { code: 'INVALID_REQUEST', message: 'invalid request', issues } } };
  }
  if (error instanceof StoreError) {
    switch (error.code) {
      case 'NOT_FOUND':
        return { status: 404, body: { error: { code: error.code, message: error.message } } };
      case 'CONFLICT':
        return { status: 409, body: { error: { code: error.code, message: error.message } } };
      case 'TOO_LARGE':
        return { status: 413, body: { error: { code: 'BODY_TOO_LARGE', message: error.message } } };
      case 'UNAVAILABLE':
        return { status: 503, body: { error: { code: error.code, message: error.message } } };
      case 'INVALID':
        return { status: 400, body: { error: { code: error.code, message: error.message, ...fieldOf(error.message) } } };
      default: {
        const unhandled: never = error.code;
        return { status: 500, body: { error: { code: 'INTERNAL', message: `unhandled store error ${String(unhandled)}` } } };
      }
    }
  }
  if (error instanceof QueueError) {
    return { status: 503, body: { error: { code: 'QUEUE_UNAVAILABLE', message: error.message } } };
  }
  if (error instanceof TrainingError || error instanceof DatasetError) {
    // The server's own trouble (no backend, a download that failed) is not the request's fault.
    const serverSide = SERVER_SIDE_CODES.has(error.code);
    return { status: serverSide ? 503 : 400, body: { error: { code: error.code, message: error.message } } };
  }
  // Anything else is a bug: its message may quote SQL, a path or a stack, so it is logged
  // (see app.ts) and the answer says only where to find it.
  return { status: 500, body: { error: { code: 'INTERNAL', message: 'internal error' } } };
}

/**
 * Messages written as `field: what is allowed` (a cursor, a limit, a predict row) answer
 * with that field as an issue too, so every 400 names its field the same way.
 */
function fieldOf(message: string): { issues?: { path: string; message: string }[] } {
  const match = /^([A-Za-z_][\w.[\]]*): (.+)$/s.exec(message);
  return match?.[1] && match[2] ? { issues: [{ path: match[1], message: match[2] }] } : {};
}

/** Fastify's own refusals (a body too large, a media type it has no parser for, JSON it cannot parse) in the API's codes. */
function fastifyClientError(error: unknown): { status: number; body: ApiErrorBody } | undefined {
  const own = error as { statusCode?: unknown; code?: unknown; message?: unknown } | null;
  if (typeof own?.statusCode !== 'number' || own.statusCode >= 500 || typeof own.code !== 'string' || !own.code.startsWith('FST_')) return undefined;
  const code: ApiErrorCode =
    own.statusCode === 413 ? 'BODY_TOO_LARGE' : own.statusCode === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : own.statusCode === 404 ? 'NOT_FOUND' : own.code.includes('JSON') ? 'INVALID_JSON' : 'INVALID_REQUEST';
  return { status: own.statusCode, body: { error: { code, message: String(own.message) } } };
}

const SERVER_SIDE_CODES = new Set<string>(['BACKEND_UNAVAILABLE', 'DOWNLOAD_FAILED', 'CHECKSUM_MISMATCH']);
